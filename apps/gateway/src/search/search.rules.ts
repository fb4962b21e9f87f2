import type { Region, RequestOf, ResponseOf, SearchProducts } from '@mercato/contracts';
import { MIN_SUGGEST_LENGTH, SEARCH_FACETS } from '@mercato/contracts';
import type { AuthenticatedUser } from '../auth';
import type { SearchQuery, SearchResponse } from './search.dto';

/** Score parts reveal how ranking weighs sales and affinities: staff tuning, not shoppers. */
export function mayExplain(caller: AuthenticatedUser | undefined): boolean {
  return caller?.roles.includes('admin') ?? false;
}

/** Whether a suggest query is long enough to ask the search service at all. */
export function wantsSuggestions(q: string): boolean {
  return q.trim().length >= MIN_SUGGEST_LENGTH;
}

/**
 * The public query as the search service's request. Only a customer's id personalises the
 * ranking: a seller's or admin's affinities say nothing about what they would buy.
 */
export function searchRequestOf(
  query: SearchQuery,
  region: Region,
  caller: AuthenticatedUser | undefined,
): RequestOf<typeof SearchProducts> {
  const { category, rating, facets, explain, ...rest } = query;
  return {
    ...rest,
    categoryId: category,
    minRating: rating,
    facets: facets ?? [...SEARCH_FACETS],
    explain: explain || undefined,
    shopperId: caller?.roles.includes('customer') ? caller.customerId : undefined,
    region,
  };
}

/** The search service's answer in the public shape: `category` names the category id. */
export function searchAnswerOf(response: ResponseOf<typeof SearchProducts>): SearchResponse {
  return {
    total: response.total,
    hits: response.hits.map(({ categoryId, ...hit }) => ({ ...hit, category: categoryId })),
    facets: response.facets ?? {},
    didYouMean: response.didYouMean,
    queryId: response.queryId,
    tookMs: response.tookMs,
    nextCursor: response.nextCursor,
  };
}
