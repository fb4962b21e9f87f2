import { z } from 'zod';
import { defineRequest, type Contract } from './contract';
import { moneySchema, regionSchema } from './common';

/** Longest free-text query the search service accepts (400 `QUERY_TOO_LONG` above it). */
export const MAX_SEARCH_QUERY_LENGTH = 200;

export const searchHitSchema = z.object({
  productId: z.string(),
  title: z.string(),
  brand: z.string(),
  categoryId: z.string(),
  /** The product's lowest variant price in the request's region. */
  price: moneySchema,
  rating: z.number().min(0).max(5),
  /** Whether any variant can be bought now (in any region, for now). */
  available: z.boolean(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

/**
 * Full-text product search with filters (docs/api.md, "Search and discovery"). `q` is plain text,
 * never a query language. `cursor` is opaque and valid only for the query that returned it
 * (400 `INVALID_CURSOR` otherwise). Facets, `didYouMean`, `sort` and `rating` come later, as
 * optional fields.
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
    /** true: only products that can be bought now. */
    inStock: z.boolean().optional(),
    region: regionSchema,
    limit: z.number().int().min(1).max(100),
    cursor: z.string().min(1).optional(),
  }),
  response: z.object({
    /** Every match, not just this page. */
    total: z.number().int().nonnegative(),
    hits: z.array(searchHitSchema),
    nextCursor: z.string().nullable(),
    tookMs: z.number().nonnegative(),
  }),
});

export const SEARCH_CONTRACTS: readonly Contract[] = [SearchProducts];
