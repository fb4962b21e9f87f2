import {
  GetSearchInsights,
  MAX_SEARCH_QUERY_LENGTH,
  MAX_SUGGESTIONS,
  moneySchema,
  pageLimitSchema,
  RecordSearchFeedback,
  scoreExplanationSchema,
  SEARCH_FACETS,
  type SearchFacet,
  SEARCH_FEEDBACK_TYPES,
  SEARCH_SORTS,
  searchFacetsSchema,
  GetSearchReindexStatus,
  StartSearchReindex,
  SuggestSearch,
} from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const PRODUCT_ID = 'p-000042';
const QUERY_ID = '5f0c2b7e-9d41-4a8e-b3c6-1e7a2d9f4b10';

const isFacet = (name: string): name is SearchFacet =>
  (SEARCH_FACETS as readonly string[]).includes(name);

/** `true` or `false` as a query string spells them; anything else is a 400. */
const booleanParam = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * `facets`: a comma list of facet names. Absent means all of them: a storefront shows every
 * facet beside the results, and one request is cheaper than two.
 */
const facetsParam = z
  .string()
  .transform((value, context) => {
    const names = value.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !isFacet(name));
    if (unknown.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `unknown facet ${unknown.map((name) => `"${name}"`).join(', ')}: use ${SEARCH_FACETS.join(', ')}`,
      });
      return z.NEVER;
    }
    // A name given twice is counted once: the search request takes each facet at most once.
    return [...new Set(names)] as SearchFacet[];
  })
  .optional()
  .describe(`Facets to count, comma separated: ${SEARCH_FACETS.join(', ')} (default: all)`)
  .meta({ example: 'brand,price' });

export const searchQuerySchema = z
  .strictObject({
    // Longer than the contract allows reaches the search service, which refuses it with its
    // own code (`QUERY_TOO_LONG`): one rule, one place.
    q: z
      .string()
      .optional()
      .describe(`Free text, plain words (${MAX_SEARCH_QUERY_LENGTH} characters at most)`)
      .meta({ example: 'laptop' }),
    category: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('A categoryId; its descendants are included'),
    brand: z.string().min(1).max(100).optional().describe('Exact brand name'),
    minPrice: z.coerce
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Lowest price at least this, in minor units of the region currency'),
    maxPrice: z.coerce
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Lowest price at most this, in minor units of the region currency'),
    inStock: booleanParam.optional().describe('true: only products that can be bought now'),
    rating: z.coerce.number().min(0).max(5).optional().describe('Average rating at least this'),
    sort: z.enum(SEARCH_SORTS).optional().describe('Default: relevance'),
    facets: facetsParam,
    limit: pageLimitSchema.describe('Hits per page, 1 to 100 (default 20)'),
    cursor: z.string().min(1).max(4096).optional().describe('nextCursor of the previous page'),
    explain: booleanParam
      .optional()
      .describe('true adds each hit’s score parts (admins only: 403 `EXPLAIN_REQUIRES_ADMIN`)'),
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'must not be greater than maxPrice',
    path: ['minPrice'],
  });
export class SearchQueryDto extends createZodDto(searchQuerySchema) {}
export type SearchQuery = z.infer<typeof searchQuerySchema>;

const searchHitResponseSchema = z.object({
  productId: z.string(),
  title: z.string(),
  brand: z.string(),
  category: z.string().describe('The category id'),
  price: moneySchema.describe('The lowest variant price in the region'),
  rating: z.number().min(0).max(5),
  ratingCount: z.number().int().nonnegative(),
  available: z.boolean().describe('Whether a variant can be bought now in the region'),
  explain: scoreExplanationSchema.optional().describe('With explain=true (admins)'),
});
export type SearchHitResponse = z.infer<typeof searchHitResponseSchema>;

export const searchResponseSchema = z
  .object({
    total: z.number().int().nonnegative().describe('Every match, not just this page'),
    hits: z.array(searchHitResponseSchema),
    facets: searchFacetsSchema.describe(
      'Counts per requested facet; each applies every filter but its own',
    ),
    didYouMean: z.string().min(1).nullable().describe('A corrected query that finds more'),
    queryId: z.string().min(1).describe('Send it back with POST /v1/search/feedback'),
    tookMs: z.number().nonnegative(),
    // min(1): a bare nullable string reaches the OpenAPI document as an array (nestjs-zod 5.5).
    nextCursor: z.string().min(1).nullable(),
  })
  .meta({
    example: {
      total: 37,
      hits: [
        {
          productId: PRODUCT_ID,
          title: 'Northwind Ultra Laptop 14 X2',
          brand: 'Northwind',
          category: 'electronics-computers-laptops',
          price: { amount: 129900, currency: 'USD' },
          rating: 4.4,
          ratingCount: 318,
          available: true,
        },
      ],
      facets: {
        category: [{ value: 'electronics-computers-laptops', count: 37 }],
        brand: [
          { value: 'Northwind', count: 21 },
          { value: 'Contoso', count: 16 },
        ],
        price: [
          { to: 50000, count: 4 },
          { from: 50000, to: 100000, count: 19 },
          { from: 100000, count: 14 },
        ],
      },
      didYouMean: null,
      queryId: QUERY_ID,
      tookMs: 12.4,
      nextCursor: 'eyJvIjoyMH0',
    },
  });
export class SearchResponseDto extends createZodDto(searchResponseSchema) {}
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const suggestQuerySchema = z.strictObject({
  q: z
    .string()
    .describe('What the shopper has typed so far (under 2 characters: no suggestions)')
    .meta({ example: 'lap' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_SUGGESTIONS)
    .default(8)
    .describe(`Suggestions at most, 1 to ${MAX_SUGGESTIONS} (default 8)`),
});
export class SuggestQueryDto extends createZodDto(suggestQuerySchema) {}

export const suggestResponseSchema = SuggestSearch.response.meta({
  example: {
    suggestions: [
      { text: 'laptop' },
      { text: 'laptop sleeve' },
      { text: 'Northwind Ultra Laptop 14 X2', productId: PRODUCT_ID },
    ],
  },
});
export class SuggestResponseDto extends createZodDto(suggestResponseSchema) {}

export const feedbackBodySchema = z
  .strictObject({
    queryId: RecordSearchFeedback.request.shape.queryId.describe('queryId of the search'),
    productId: RecordSearchFeedback.request.shape.productId.describe('The hit acted on'),
    type: z.enum(SEARCH_FEEDBACK_TYPES),
  })
  .meta({ example: { queryId: QUERY_ID, productId: PRODUCT_ID, type: 'click' } });
export class FeedbackBodyDto extends createZodDto(feedbackBodySchema) {}

export const feedbackResponseSchema = RecordSearchFeedback.response
  .extend({
    counted: z.boolean().describe('false: this queryId, product and type were counted before'),
  })
  .meta({ example: { counted: true } });
export class FeedbackResponseDto extends createZodDto(feedbackResponseSchema) {}

export const insightsQuerySchema = z.strictObject({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(90)
    .default(7)
    .describe('UTC days back, today included, 1 to 90 (default 7)'),
  limit: pageLimitSchema.describe('Queries per list, 1 to 100 (default 20)'),
});
export class InsightsQueryDto extends createZodDto(insightsQuerySchema) {}

const laptopStats = {
  query: 'laptop',
  searches: 412,
  zeroResults: 0,
  clicks: 168,
  cartAdds: 41,
  clickThroughRate: 0.408,
};
export const insightsResponseSchema = GetSearchInsights.response.meta({
  example: {
    from: '2026-11-30',
    to: '2026-12-06',
    totals: {
      searches: 5230,
      zeroResults: 287,
      zeroResultRate: 0.055,
      clicks: 1874,
      cartAdds: 402,
      clickThroughRate: 0.358,
    },
    topQueries: [laptopStats],
    zeroResultQueries: [
      {
        query: 'labtop stand',
        searches: 23,
        zeroResults: 23,
        clicks: 0,
        cartAdds: 0,
        clickThroughRate: 0,
      },
    ],
  },
});
export class InsightsResponseDto extends createZodDto(insightsResponseSchema) {}

const REINDEX_STATUS_EXAMPLE = {
  state: 'running' as const,
  reindexId: '0b6f3c1e-8a52-4d7e-9c14-2f5e6a7b8c90',
  processed: 1_200,
  indexed: 1_198,
  expected: 5_000,
  startedAt: '2026-12-07T19:30:00.000Z',
  finishedAt: null,
  error: null,
};

export const reindexStatusSchema = GetSearchReindexStatus.response.meta({
  example: REINDEX_STATUS_EXAMPLE,
});
export class ReindexStatusDto extends createZodDto(reindexStatusSchema) {}

export const reindexStartedSchema = StartSearchReindex.response.meta({
  example: { started: true, status: { ...REINDEX_STATUS_EXAMPLE, processed: 0, indexed: 0 } },
});
export class ReindexStartedDto extends createZodDto(reindexStartedSchema) {}
