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
import { MAX_RESULT_WINDOW, ProductIndex, type ProductDocument } from '@mercato/search-index';
import { SearchErrorCode, SearchException } from '../search.exception';
import { IndexedProducts } from './indexed-products';
import { mapLimit } from './map-limit';
import { decodeCursor, encodeCursor } from './search-cursor';
import { SearchIndexer } from './search-indexer.service';

/** Hits read from the services at once when this process has not indexed them. */
const READ_THROUGH_CONCURRENCY = 8;

type SearchRequest = RequestOf<typeof SearchProducts>;
type SearchResponse = ResponseOf<typeof SearchProducts>;

/** Product search: the index finds and orders the ids, the indexed documents fill in the hits. */
@Injectable()
export class SearchService {
  constructor(
    private readonly index: ProductIndex,
    private readonly indexed: IndexedProducts,
    private readonly indexer: SearchIndexer,
  ) {}

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
    const documents = await mapLimit(result.hits, READ_THROUGH_CONCURRENCY, (hit) =>
      this.documentOf(hit.productId),
    );
    const hits = documents.flatMap((document) =>
      document ? [hitOf(document, request.region)] : [],
    );
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

  /**
   * The document behind a hit; one this process has not indexed itself (another replica did,
   * or it restarted) is read from the services again.
   */
  private async documentOf(productId: string): Promise<ProductDocument | undefined> {
    return this.indexed.get(productId) ?? (await this.indexer.documentFor(productId));
  }
}

function hitOf(document: ProductDocument, region: SearchRequest['region']): SearchHit {
  return {
    productId: document.productId,
    title: document.title,
    brand: document.brand,
    categoryId: document.categoryId,
    price: { amount: document.prices[region], currency: REGION_CURRENCY[region] },
    rating: document.rating,
    ratingCount: document.ratingCount,
    available: document.available,
  };
}
