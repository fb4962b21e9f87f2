import { z } from 'zod';
import { defineRequest, type Contract } from './contract';
import { moneySchema, regionSchema } from './common';

/**
 * Longest free-text query the search service accepts (400 `QUERY_TOO_LONG` above it). Real
 * queries are a few words; 200 characters leave room for a pasted product title.
 */
export const MAX_SEARCH_QUERY_LENGTH = 200;

/** Sorts of `SearchProducts` (`relevance` when absent). */
export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Facets `SearchProducts` can count. */
export const SEARCH_FACETS = ['category', 'brand', 'price'] as const;
export type SearchFacet = (typeof SEARCH_FACETS)[number];

/** One part of a hit's ranking score (`explain`, admins only). */
export const scoreExplanationSchema = z.object({
  /** The engine's text relevance (0 without text; engine specific: compare within one result). */
  text: z.number(),
  /** Multiplier from units sold (all time, damped). */
  popularity: z.number(),
  /** Multiplier from recent sales (units over the last days, decayed). */
  salesVelocity: z.number(),
  /** Multiplier from the average rating, weighted by the number of ratings. */
  rating: z.number(),
  /** Multiplier from the shopper's category and brand affinities (1 when neutral). */
  affinity: z.number(),
  /** Whether the product can be bought now in the request's region (out of stock ranks last). */
  inStock: z.boolean(),
  /** The score the hits are ordered by. */
  total: z.number(),
});
export type ScoreExplanation = z.infer<typeof scoreExplanationSchema>;

export const searchHitSchema = z.object({
  productId: z.string(),
  title: z.string(),
  brand: z.string(),
  categoryId: z.string(),
  /** The product's lowest variant price in the request's region. */
  price: moneySchema,
  rating: z.number().min(0).max(5),
  ratingCount: z.number().int().nonnegative(),
  /** Whether a variant can be bought now in the request's region. */
  available: z.boolean(),
  /** Present when the request asked for `explain`. */
  explain: scoreExplanationSchema.optional(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

const facetValueSchema = z.object({ value: z.string(), count: z.number().int().nonnegative() });
/** A price bucket in the region's minor units: `from` inclusive, `to` exclusive, either open. */
const priceBucketSchema = z.object({
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
  count: z.number().int().nonnegative(),
});

export const searchFacetsSchema = z.object({
  /** Products per category id, a parent counting its whole subtree. */
  category: z.array(facetValueSchema).optional(),
  brand: z.array(facetValueSchema).optional(),
  price: z.array(priceBucketSchema).optional(),
});
export type SearchFacets = z.infer<typeof searchFacetsSchema>;

/**
 * Full-text product search with filters, facets and sorts (docs/api.md, "Search and
 * discovery"). `q` is plain text, never a query language; words may have typos (one in words of
 * 4–7 letters, two from 8) and synonyms from the maintained list match. Only products sold in
 * `region` are found; prices and availability are the region's. `cursor` is opaque and valid
 * only for the query that returned it (400 `INVALID_CURSOR` otherwise). Each facet's counts
 * apply every filter but its own. `shopperId` (a customer id) lets ranking use the shopper's
 * affinities; it is not recorded in analytics. `queryId` identifies this search in
 * `RecordSearchFeedback`.
 */
export const SearchProducts = defineRequest({
  type: 'search.products.search',
  version: 1,
  owner: 'search',
  request: z.object({
    q: z.string().optional(),
    /** This category or any below it. */
    categoryId: z.string().min(1).optional(),
    brand: z.string().min(1).optional(),
    /** Inclusive bounds on the lowest price in `region`, in its currency's minor units. */
    minPrice: z.number().int().nonnegative().optional(),
    maxPrice: z.number().int().nonnegative().optional(),
    /** true: only products that can be bought now in `region`. */
    inStock: z.boolean().optional(),
    /** Average rating at least this (0–5). */
    minRating: z.number().min(0).max(5).optional(),
    sort: z.enum(SEARCH_SORTS).optional(),
    /** Facets to count (none when absent). */
    facets: z.array(z.enum(SEARCH_FACETS)).max(SEARCH_FACETS.length).optional(),
    /** Adds each hit's score parts (the gateway allows it to admins only). */
    explain: z.boolean().optional(),
    shopperId: z.string().min(1).optional(),
    region: regionSchema,
    limit: z.number().int().min(1).max(100),
    cursor: z.string().min(1).optional(),
  }),
  response: z.object({
    /** Every match, not just this page. */
    total: z.number().int().nonnegative(),
    hits: z.array(searchHitSchema),
    facets: searchFacetsSchema.optional(),
    /** A corrected query that finds clearly more, or null (never when `q` finds enough). */
    didYouMean: z.string().min(1).nullable(),
    /** Identifies this search in `RecordSearchFeedback` (clicks, cart adds). */
    queryId: z.string().min(1),
    nextCursor: z.string().nullable(),
    tookMs: z.number().nonnegative(),
  }),
});

/** Suggestions start at this many characters typed (trimmed): one letter matches half a catalog. */
export const MIN_SUGGEST_LENGTH = 2;

/** Most suggestions `SuggestSearch` returns. */
export const MAX_SUGGESTIONS = 10;

/**
 * Autocomplete as the shopper types: from 2 characters, completions of the query (popular past
 * queries and product titles) and top products; typo-tolerant from 4 letters. A `q` shorter
 * than 2 characters (after trimming) answers no suggestions; longer than
 * `MAX_SEARCH_QUERY_LENGTH`: 400 `QUERY_TOO_LONG`.
 */
export const SuggestSearch = defineRequest({
  type: 'search.products.suggest',
  version: 1,
  owner: 'search',
  request: z.object({
    q: z.string(),
    region: regionSchema,
    limit: z.number().int().min(1).max(MAX_SUGGESTIONS),
  }),
  response: z.object({
    /** Query completions first (no `productId`), then products (with their title as `text`). */
    suggestions: z.array(
      z.object({ text: z.string().min(1), productId: z.string().min(1).optional() }),
    ),
  }),
});

/** What a shopper did with a search result. */
export const SEARCH_FEEDBACK_TYPES = ['click', 'add_to_cart'] as const;

/**
 * A shopper clicked a hit of a search, or added it to the cart from there (Algolia's click and
 * conversion events after search), sent by the storefront through the gateway. Anonymous: the
 * query id says which search, never who. A repeat of the same (queryId, productId, type) counts
 * once (`counted: false`). A query id the search service did not issue: 400 `INVALID_QUERY_ID`.
 */
export const RecordSearchFeedback = defineRequest({
  type: 'search.feedback.record',
  version: 1,
  owner: 'search',
  request: z.object({
    queryId: z.string().min(1).max(512),
    productId: z.string().min(1).max(256),
    type: z.enum(SEARCH_FEEDBACK_TYPES),
  }),
  response: z.object({ counted: z.boolean() }),
});

const queryStatsSchema = z.object({
  /** The query as shoppers typed it, normalised (trimmed, lower case, single spaces). */
  query: z.string(),
  searches: z.number().int().nonnegative(),
  /** Searches that found nothing. */
  zeroResults: z.number().int().nonnegative(),
  clicks: z.number().int().nonnegative(),
  cartAdds: z.number().int().nonnegative(),
  /** clicks / searches (0 when none). */
  clickThroughRate: z.number().nonnegative(),
});

/**
 * Search analytics for admins over the last `days` days (UTC days, today included): totals, the
 * most frequent queries, the most frequent zero-result queries. Anonymised: no customer id is
 * ever recorded.
 */
export const GetSearchInsights = defineRequest({
  type: 'search.insights.get',
  version: 1,
  owner: 'search',
  request: z.object({
    days: z.number().int().min(1).max(90),
    limit: z.number().int().min(1).max(100),
  }),
  response: z.object({
    from: z.iso.date(),
    to: z.iso.date(),
    totals: z.object({
      searches: z.number().int().nonnegative(),
      zeroResults: z.number().int().nonnegative(),
      zeroResultRate: z.number().nonnegative(),
      clicks: z.number().int().nonnegative(),
      cartAdds: z.number().int().nonnegative(),
      clickThroughRate: z.number().nonnegative(),
    }),
    topQueries: z.array(queryStatsSchema),
    zeroResultQueries: z.array(queryStatsSchema),
  }),
});

const reindexStatusSchema = z.object({
  /** idle: none ran since the search process started. */
  state: z.enum(['idle', 'running', 'completed', 'failed']),
  reindexId: z.string().min(1).nullable(),
  /** Products read from the catalog so far, and how many of them the new index holds. */
  processed: z.number().int().nonnegative(),
  indexed: z.number().int().nonnegative(),
  /**
   * Products in the live index when the rebuild started: the progress bar's estimate of the
   * total (the catalog does not count its products).
   */
  expected: z.number().int().nonnegative(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  /** Why it failed (state `failed`). */
  error: z.string().min(1).nullable(),
});
export type SearchReindexStatus = z.infer<typeof reindexStatusSchema>;

/**
 * Rebuilds the product index from the catalog into a new index and swaps it in atomically
 * (OpenSearch: an alias), so searches never fail or find a half-filled index meanwhile. Answers
 * at once with the status of the rebuild it started, or of the one already running (one at a
 * time: `started: false`).
 */
export const StartSearchReindex = defineRequest({
  type: 'search.reindex.start',
  version: 1,
  owner: 'search',
  request: z.object({}),
  response: z.object({ started: z.boolean(), status: reindexStatusSchema }),
});

/** The running or last rebuild's progress. */
export const GetSearchReindexStatus = defineRequest({
  type: 'search.reindex.status',
  version: 1,
  owner: 'search',
  request: z.object({}),
  response: reindexStatusSchema,
});

export const SEARCH_CONTRACTS: readonly Contract[] = [
  SearchProducts,
  SuggestSearch,
  RecordSearchFeedback,
  GetSearchInsights,
  StartSearchReindex,
  GetSearchReindexStatus,
];
