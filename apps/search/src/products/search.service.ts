import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  MAX_SEARCH_QUERY_LENGTH,
  REGION_CURRENCY,
  SearchProducts,
  type RequestOf,
  type ResponseOf,
  type SearchHit,
} from '@mercato/contracts';
import { MAX_RESULT_WINDOW, ProductIndex, type ProductHit } from '@mercato/search-index';
import { SearchErrorCode, SearchException } from '../search.exception';
import { decodeCursor, encodeCursor } from './search-cursor';

type SearchRequest = RequestOf<typeof SearchProducts>;
type SearchResponse = ResponseOf<typeof SearchProducts>;

/** Product search: the index finds and orders the products and returns their documents. */
@Injectable()
export class SearchService {
  constructor(private readonly index: ProductIndex) {}

  async search(request: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    if (request.q !== undefined && request.q.length > MAX_SEARCH_QUERY_LENGTH) {
      throw new SearchException(
        SearchErrorCode.QueryTooLong,
        `q may be ${MAX_SEARCH_QUERY_LENGTH} characters at most`,
        [{ field: 'q', message: `longer than ${MAX_SEARCH_QUERY_LENGTH} characters` }],
      );
    }
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
    const result = await this.index.search({
      text: request.q,
      categoryId: request.categoryId,
      brand: request.brand,
      minPrice: request.minPrice,
      maxPrice: request.maxPrice,
      inStock: request.inStock,
      region: request.region,
      limit,
      offset,
    });
    const hits = result.hits.map((hit) => hitOf(hit, request.region));
    const next = offset + result.hits.length;
    const more = result.hits.length > 0 && next < Math.min(result.total, MAX_RESULT_WINDOW);
    return {
      total: result.total,
      hits,
      didYouMean: null,
      queryId: randomUUID(),
      nextCursor: more ? encodeCursor(next, request) : null,
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }
}

function hitOf({ document }: ProductHit, region: SearchRequest['region']): SearchHit {
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
  };
}
