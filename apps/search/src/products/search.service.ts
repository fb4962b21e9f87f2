import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import {
  MAX_SEARCH_QUERY_LENGTH,
  REGION_CURRENCY,
  SearchProducts,
  type Region,
  type RequestOf,
  type ResponseOf,
  type SearchHit,
} from '@mercato/contracts';
import {
  MAX_RESULT_WINDOW,
  ProductIndex,
  type ProductHit,
  type ProductSearchQuery,
  type RankingOptions,
  type RankingWeights,
} from '@mercato/search-index';
import { SearchAnalytics } from '../analytics/search-analytics.service';
import { rankingWeightsFrom } from '../ranking/search-ranking.config';
import { ShopperAffinities } from '../ranking/shopper-affinities';
import { SearchErrorCode, SearchException } from '../search.exception';
import { decodeCursor, encodeCursor } from './search-cursor';
import { DidYouMean } from './did-you-mean';

type SearchRequest = RequestOf<typeof SearchProducts>;
type SearchResponse = ResponseOf<typeof SearchProducts>;

/** The search's wall time in milliseconds, to a tenth. */
const elapsedSince = (started: number): number =>
  Math.round((performance.now() - started) * 10) / 10;

/** Refuses a text longer than the contract allows (a pasted page is not a query). */
export function checkQueryLength(q: string | undefined): void {
  if (q !== undefined && q.length > MAX_SEARCH_QUERY_LENGTH) {
    throw new SearchException(
      SearchErrorCode.QueryTooLong,
      `q may be ${MAX_SEARCH_QUERY_LENGTH} characters at most`,
      [{ field: 'q', message: `longer than ${MAX_SEARCH_QUERY_LENGTH} characters` }],
    );
  }
}

/**
 * Product search: the index finds, filters, counts facets and ranks (text × business signals ×
 * the shopper's affinities) and returns the documents; the service adds the spelling suggestion,
 * counts the search for analytics and pages with a cursor bound to the query.
 */
@Injectable()
export class SearchService {
  private readonly weights: RankingWeights;

  constructor(
    private readonly index: ProductIndex,
    private readonly analytics: SearchAnalytics,
    private readonly affinities: ShopperAffinities,
    private readonly didYouMean: DidYouMean,
    @InjectConfig() config: object,
  ) {
    this.weights = rankingWeightsFrom(config);
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    checkQueryLength(request.q);
    const offset = request.cursor === undefined ? 0 : decodeCursor(request.cursor, request);
    if (offset === undefined) {
      throw new SearchException(
        SearchErrorCode.InvalidCursor,
        'cursor was not issued for this query',
        [{ field: 'cursor', message: 'not a cursor of this query' }],
      );
    }
    // Offset paging stops at the engine's result window; deeper pages need search-after.
    const limit = Math.max(0, Math.min(request.limit, MAX_RESULT_WINDOW - offset));
    const query: ProductSearchQuery = {
      text: request.q,
      categoryId: request.categoryId,
      brand: request.brand,
      minPrice: request.minPrice,
      maxPrice: request.maxPrice,
      inStock: request.inStock,
      minRating: request.minRating,
      region: request.region,
      sort: request.sort,
      facets: request.facets,
      explain: request.explain,
      ranking: await this.rankingFor(request.shopperId),
      limit,
      offset,
    };
    // The spelling check runs beside the search: it only counts, so it adds no latency.
    const [result, didYouMean] = await Promise.all([
      this.index.search(query),
      this.didYouMean.suggestionFor(query),
    ]);
    const next = offset + result.hits.length;
    const more = result.hits.length > 0 && next < Math.min(result.total, MAX_RESULT_WINDOW);
    const tookMs = elapsedSince(started);
    return {
      total: result.total,
      hits: result.hits.map((hit) => hitOf(hit, request.region)),
      ...(result.facets ? { facets: result.facets } : {}),
      didYouMean,
      queryId: this.analytics.recordSearch({
        q: request.q,
        region: request.region,
        total: result.total,
        tookMs,
      }),
      nextCursor: more ? encodeCursor(next, request) : null,
      tookMs,
    };
  }

  private async rankingFor(shopperId: string | undefined): Promise<RankingOptions> {
    const affinities = shopperId ? await this.affinities.affinitiesOf(shopperId) : undefined;
    return affinities ? { weights: this.weights, affinities } : { weights: this.weights };
  }
}

function hitOf({ document, explanation }: ProductHit, region: Region): SearchHit {
  return {
    productId: document.productId,
    title: document.title,
    brand: document.brand,
    categoryId: document.categoryId,
    // The index finds only products with a price in the query's region.
    price: { amount: document.prices[region] ?? 0, currency: REGION_CURRENCY[region] },
    rating: document.rating,
    ratingCount: document.ratingCount,
    available: document.inStockRegions.includes(region),
    ...(explanation ? { explain: explanation } : {}),
  };
}
