import { REGIONS, regionSchema, type Region, type ScoreExplanation } from '@mercato/contracts';
import { z } from 'zod';
import { checkAffinities, rankingWeightsOf, type RankingWeights } from './ranking';
import type { SuggestQuery, SuggestResult } from './text/suggest';

const id = z.string().min(1).max(256);
const minorUnits = z.number().int().nonnegative();

/**
 * What the search index holds per product: one document per product (not per variant), with the
 * lowest price per region it is sold in and the variants' attribute values, so a product matches
 * "red" when any of its variants is red. Built by the search service from catalog, inventory and
 * sales signals.
 */
export const productDocumentSchema = z
  .object({
    productId: id,
    title: z.string().min(1),
    description: z.string(),
    brand: z.string().min(1),
    /** The product's own (leaf) category. */
    categoryId: id,
    /** Ids of the category's ancestors and the category itself, root first. */
    categoryPath: z.array(id).min(1),
    /** Names of the categories of `categoryPath`, root first ("Home", "Kitchen"), matched by text. */
    categoryNames: z.array(z.string()),
    /**
     * Lowest variant price per region the product is sold in, in the region currency's minor
     * units (us USD cents, eu EUR cents, ap yen). A product is sold in exactly the regions it has
     * a price for, at least one; a query in another region never finds it.
     */
    prices: z
      .partialRecord(regionSchema, minorUnits)
      .refine((prices) => Object.keys(prices).length > 0, 'must price at least one region'),
    /** Regions where some variant can be bought now. */
    inStockRegions: z.array(regionSchema),
    /** Average rating 0–5 (0 when unrated). */
    rating: z.number().min(0).max(5),
    ratingCount: z.number().int().nonnegative(),
    /** Units sold, all time. */
    popularity: z.number().nonnegative(),
    /** Recent units sold per day. */
    salesVelocity: z.number().nonnegative(),
    createdAt: z.iso.datetime({ offset: true }),
    /** Attribute values of the variants ("Red", "XL", "256 GB"), matched by text queries. */
    attributes: z.array(z.string()),
    /** Spec lines ("RAM 16 GB 16GB", "Material Stainless steel"), matched by text queries. */
    specs: z.array(z.string()),
  })
  .refine((doc) => doc.categoryPath.includes(doc.categoryId), {
    path: ['categoryPath'],
    message: 'must include categoryId',
  });

export type ProductDocument = z.infer<typeof productDocumentSchema>;

/**
 * Weight of a text match per field, the same on both adapters: a word in the title counts six
 * times one in the description. Spec lines and attribute values count as much as a body of
 * text would, category names a little more (a shopper's "kettle" is often the category).
 */
export const TEXT_FIELD_WEIGHTS = Object.freeze({
  title: 3,
  brand: 2,
  categoryNames: 1.5,
  specs: 1,
  attributes: 1,
  description: 0.5,
});

/** Deepest result reachable by offset paging (OpenSearch's index.max_result_window). */
export const MAX_RESULT_WINDOW = 10_000;

export interface ProductSearchQuery {
  /**
   * Free text. Matches a product when every word (after English analysis: lower case, stop
   * words such as "the" dropped, plurals and other suffixes stemmed) occurs as a word in its
   * title, description, brand, category names, specs or variant attributes (weighted by
   * `TEXT_FIELD_WEIGHTS`). Blank text is the same as none.
   * Each word may also match with typos (see `typoTolerance`) or through a synonym
   * (text/synonyms.ts); exact matches rank above synonyms, synonyms above typos.
   */
  text?: string;
  /**
   * Default true: a word of 4–7 letters forgives one edit, of 8 or more two (a swap of two
   * neighbouring letters is one edit); shorter words match exactly. false: exact words only
   * (synonyms still apply) — what the search service asks first to decide on `didYouMean`.
   */
  typoTolerance?: boolean;
  /** Products in this category or any category below it. */
  categoryId?: string;
  /** Exact brand name. */
  brand?: string;
  /** Inclusive bounds on the product's lowest price in `region`, in that region's minor units. */
  minPrice?: number;
  maxPrice?: number;
  /**
   * The shopper's region: only products sold there (with a price there) match, and prices,
   * price facets and availability are the region's.
   */
  region: Region;
  /** true: only products that can be bought now in `region`; false or absent: no filter. */
  inStock?: boolean;
  /** Average rating at least this; like text and `inStock`, every facet applies it. */
  minRating?: number;
  /** Weights and the shopper's affinities for the `relevance` sort (`ranking.ts`). */
  ranking?: RankingOptions;
  /** Adds each hit's score parts (`ProductHit.explanation`). */
  explain?: boolean;
  limit: number;
  /** offset + limit may not exceed MAX_RESULT_WINDOW (deeper pages: a cursor, in the search issue). */
  offset: number;
  /**
   * Hit order (default `relevance`). Every order breaks ties by productId ascending, so pages
   * never overlap: `relevance` products in stock in `region` first, then best score
   * (text × business signals, `ranking.ts`) first; `price_asc`/`price_desc` by the lowest price
   * in `region`; `newest` latest `createdAt` first; `rating` highest average rating first.
   */
  sort?: ProductSort;
  /**
   * Facets to count over the matches (none when absent or empty). Each facet applies every
   * active filter but its own, so a shopper sees how far widening that filter would go: the
   * brand facet ignores `brand`, the category facet ignores `categoryId`, the price facet
   * ignores `minPrice`/`maxPrice`; text, `inStock` and `minRating` apply to all.
   */
  facets?: FacetName[];
  /**
   * Buckets of the price facet, in `region`'s minor units: `from` inclusive, `to` exclusive,
   * either open; at least one. Absent: `defaultPriceRanges(region)`. A bucket is the filter
   * `minPrice: from, maxPrice: to - 1`.
   */
  priceRanges?: PriceRange[];
}

/** Ranking inputs of a query; every part optional. */
export interface RankingOptions {
  /** Over `DEFAULT_RANKING_WEIGHTS`; each ≥ 0. */
  weights?: Partial<RankingWeights>;
  /** The shopper's affinities in [0, 1] by category id (any on the path counts) and brand. */
  affinities?: { categories?: Record<string, number>; brands?: Record<string, number> };
}

export const PRODUCT_SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export const FACET_NAMES = ['category', 'brand', 'price'] as const;
export type FacetName = (typeof FACET_NAMES)[number];

/** A price bucket in minor units: `from` inclusive, `to` exclusive; an absent bound is open. */
export interface PriceRange {
  from?: number;
  to?: number;
}

/**
 * How many values a terms facet lists at most, most products first, ties by value ascending.
 * Categories: every category present in any realistic catalog; brands: the top 20.
 */
export const FACET_SIZE = { category: 500, brand: 20 } as const;

/**
 * Price buckets when the query names none, in the region's minor units: us and eu (cents)
 * under 25, 25–50, 50–100, 100–250, 250–500, 500 and up dollars or euros; ap (yen, no minor
 * unit) under ¥3,000, 3,000–5,000, 5,000–10,000, 10,000–30,000, 30,000–50,000, 50,000 and up.
 */
export function defaultPriceRanges(region: Region): PriceRange[] {
  const steps =
    region === 'ap'
      ? [3_000, 5_000, 10_000, 30_000, 50_000]
      : [2_500, 5_000, 10_000, 25_000, 50_000];
  return steps
    .map((to, i): PriceRange => (i === 0 ? { to } : { from: steps[i - 1], to }))
    .concat([{ from: steps[steps.length - 1] }]);
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface PriceFacetBucket extends PriceRange {
  count: number;
}

/**
 * Counts per facet value over the matches, each facet ignoring its own filter (see
 * `ProductSearchQuery.facets`); only the facets asked for are present.
 * - `category`: products per category id on their `categoryPath`, so every ancestor counts and
 *   a parent shows its whole subtree (`home` counts every chair and coffee machine); values
 *   with no product are left out;
 * - `brand`: products per exact brand, the top `FACET_SIZE.brand`;
 * - `price`: one bucket per price range, in the query's order, empty ones included.
 */
export interface ProductFacets {
  category?: FacetValue[];
  brand?: FacetValue[];
  price?: PriceFacetBucket[];
}

export interface ProductHit {
  productId: string;
  /**
   * The ranking score (text relevance × business signals; the signals alone without text),
   * engine specific: compare only within one result.
   */
  score: number;
  /** The stored document. */
  document: ProductDocument;
  /** The score's parts, when the query asked for `explain`; they multiply to `total`. */
  explanation?: ScoreExplanation;
}

export interface ProductSearchResult {
  /** Every match, not just this page. */
  total: number;
  /** In the query's `sort` order (best first by default); ties in productId order. */
  hits: ProductHit[];
  /** Present when the query asked for facets. */
  facets?: ProductFacets;
}

/**
 * A full rebuild of the index beside the live one (`ProductIndex.beginRebuild`). Searches keep
 * reading the live index until `complete()` swaps the new one in at once; the port's own writes
 * meanwhile go to both, so none is lost.
 */
export interface ProductIndexRebuild {
  upsertMany(docs: readonly ProductDocument[]): Promise<IndexFailure[]>;
  /** Makes the new index the live one atomically and deletes the old one. */
  complete(): Promise<void>;
  /** Deletes the new index; the live one stays as it is. */
  abort(): Promise<void>;
}

/** A document the index refused, and why. */
export interface IndexFailure {
  productId: string;
  reason: string;
}

export interface SearchIndexHealth {
  up: boolean;
  detail: string;
}

/**
 * The product search port: keeps the product documents and answers search queries.
 *
 * Semantics every adapter keeps (checked by `productIndexContract` in @mercato/testing):
 * - `upsertMany` replaces whole documents by productId; an invalid document is reported in the
 *   returned failures and the others are still indexed; `deleteMany` ignores unknown ids;
 * - writes become visible to `count` and `search` after `refresh()` (at the latest; an
 *   embedded adapter may show them at once);
 * - `search` finds only products sold in the query's region; filters are ANDed with the text
 *   match; hits come in the query's sort order (in stock first, then best first by default),
 *   ties by productId, each with its stored document;
 * - facets count the matches of every filter but the facet's own, so each facet value's count
 *   is the `total` of the same search with that value as the facet's filter (categories count
 *   their whole subtree; a price bucket is `minPrice: from, maxPrice: to - 1`).
 *
 * Lifecycle: `init()` creates what is missing (it never throws because the engine is away:
 * it logs and keeps trying, and `health()` says what is wrong); `close()` releases the client.
 * `beginRebuild()` builds a new index beside the live one and swaps it in (one rebuild at a time
 * per process).
 */
export abstract class ProductIndex {
  /** Connects and creates the index if missing; never throws for an unreachable engine. */
  abstract init(): Promise<void>;

  /** Creates the index (and its template and mappings) if missing; throws when it cannot. */
  abstract ensureIndex(): Promise<void>;

  abstract upsertMany(docs: readonly ProductDocument[]): Promise<IndexFailure[]>;

  abstract deleteMany(productIds: readonly string[]): Promise<IndexFailure[]>;

  /** Makes every write so far visible to `count` and `search`. */
  abstract refresh(): Promise<void>;

  abstract count(): Promise<number>;

  abstract search(query: ProductSearchQuery): Promise<ProductSearchResult>;

  abstract health(): Promise<SearchIndexHealth>;

  /** Starts a rebuild beside the live index; throws when one is running in this process. */
  abstract beginRebuild(): Promise<ProductIndexRebuild>;

  /** Deletes the index, any rebuild, and the template (tests). */
  /**
   * The text with each word the index does not contain (lower case, unstemmed; stop words and
   * words under 4 letters left alone) replaced by the indexed word within its typo budget that
   * is in the most products (ties: fewer edits, then alphabetical); lower case, single spaces.
   * undefined when no word changes.
   */
  abstract spellingCorrection(text: string): Promise<string | undefined>;

  /**
   * As-you-type suggestions (text/suggest.ts): from 2 characters, title phrases completing the
   * prefix and the matching products sold in the region, those matching as typed first, then
   * the most popular (`bySuggestRank`). Nothing for less.
   */
  abstract suggest(query: SuggestQuery): Promise<SuggestResult>;

  /** Deletes the index and its template (tests, full rebuilds). */
  abstract drop(): Promise<void>;

  abstract close(): Promise<void>;
}

/** Splits documents into valid ones and failures, with the same reasons on every adapter. */
export function validateDocuments(docs: readonly ProductDocument[]): {
  valid: ProductDocument[];
  failures: IndexFailure[];
} {
  const valid: ProductDocument[] = [];
  const failures: IndexFailure[] = [];
  for (const doc of docs) {
    const parsed = productDocumentSchema.safeParse(doc);
    if (parsed.success) {
      valid.push(parsed.data);
    } else {
      const productId =
        typeof (doc as { productId?: unknown })?.productId === 'string'
          ? doc.productId
          : '(no productId)';
      const reason = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'document'}: ${issue.message}`)
        .join('; ');
      failures.push({ productId, reason: `invalid document: ${reason}` });
    }
  }
  return { valid, failures };
}

/** The price buckets a query's price facet counts. */
export const priceRangesOf = (query: ProductSearchQuery): PriceRange[] =>
  query.priceRanges ?? defaultPriceRanges(query.region);

/** Throws a RangeError for a query no adapter can answer; returns the trimmed text, if any. */
export function checkQuery(query: ProductSearchQuery): string | undefined {
  const { limit, offset, minPrice, maxPrice, region } = query;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit ${limit} is not >= 0`);
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset ${offset} is not >= 0`);
  if (offset + limit > MAX_RESULT_WINDOW) {
    throw new RangeError(`offset + limit may not exceed ${MAX_RESULT_WINDOW}`);
  }
  if (!(REGIONS as readonly string[]).includes(region)) {
    throw new RangeError(`unknown region "${region}"`);
  }
  for (const [name, value] of [
    ['minPrice', minPrice],
    ['maxPrice', maxPrice],
  ] as const) {
    if (value !== undefined && !Number.isFinite(value)) {
      throw new RangeError(`${name} ${value} is not a number`);
    }
  }
  if (
    query.minRating !== undefined &&
    !(Number.isFinite(query.minRating) && query.minRating >= 0 && query.minRating <= 5)
  ) {
    throw new RangeError(`minRating ${query.minRating} is not in [0, 5]`);
  }
  rankingWeightsOf(query.ranking);
  checkAffinities(query.ranking);
  if (query.sort !== undefined && !(PRODUCT_SORTS as readonly string[]).includes(query.sort)) {
    throw new RangeError(`unknown sort "${query.sort}"`);
  }
  for (const facet of query.facets ?? []) {
    if (!(FACET_NAMES as readonly string[]).includes(facet)) {
      throw new RangeError(`unknown facet "${facet}"`);
    }
  }
  // OpenSearch refuses a range aggregation without ranges.
  if (query.priceRanges?.length === 0) throw new RangeError('priceRanges may not be empty');
  for (const { from, to } of query.priceRanges ?? []) {
    for (const bound of [from, to]) {
      if (bound !== undefined && !Number.isFinite(bound)) {
        throw new RangeError(`price range bound ${bound} is not a number`);
      }
    }
    if (from !== undefined && to !== undefined && from >= to) {
      throw new RangeError(`price range ${from}–${to} is empty (to is exclusive)`);
    }
  }
  const text = query.text?.trim();
  return text ? text : undefined;
}
