import { ForbiddenException, Injectable } from '@nestjs/common';
import {
  GetSearchInsights,
  GetSearchReindexStatus,
  StartSearchReindex,
  RecordSearchFeedback,
  SearchProducts,
  SuggestSearch,
  type Region,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import type { AuthenticatedUser } from '../auth';
import type { SearchQuery, SearchResponse } from './search.dto';
import { mayExplain, searchAnswerOf, searchRequestOf, wantsSuggestions } from './search.rules';

/** Codes of the gateway's own search refusals (the search service's travel as they come). */
export enum SearchGatewayErrorCode {
  ExplainRequiresAdmin = 'EXPLAIN_REQUIRES_ADMIN',
}

/** One search route's call: who asks (if anyone), in which region, under which correlation id. */
export interface SearchCall {
  caller: AuthenticatedUser | undefined;
  region: Region;
  correlationId: string;
}

/** The gateway's side of the search service: one bus request per route. */
@Injectable()
export class SearchGatewayService {
  constructor(private readonly bus: MessageBus) {}

  async search(query: SearchQuery, { caller, region, correlationId }: SearchCall) {
    if (query.explain && !mayExplain(caller)) {
      throw new ForbiddenException({
        message: 'explain=true is for admins: the score parts show how ranking is tuned',
        code: SearchGatewayErrorCode.ExplainRequiresAdmin,
      });
    }
    const request = searchRequestOf(query, region, caller);
    const response = await this.bus.request(SearchProducts, request, { correlationId });
    return searchAnswerOf(response) satisfies SearchResponse;
  }

  async suggest(
    q: string,
    limit: number,
    { region, correlationId }: Omit<SearchCall, 'caller'>,
  ): Promise<ResponseOf<typeof SuggestSearch>> {
    // Autocomplete asks on every keystroke: the first one needs no round trip to answer nothing.
    if (!wantsSuggestions(q)) return { suggestions: [] };
    return this.bus.request(SuggestSearch, { q, region, limit }, { correlationId });
  }

  feedback(feedback: RequestOf<typeof RecordSearchFeedback>, correlationId: string) {
    // Keyed by the search: one search's feedback is counted in the order it was sent.
    return this.bus.request(RecordSearchFeedback, feedback, {
      key: feedback.queryId,
      correlationId,
    });
  }

  insights(
    query: RequestOf<typeof GetSearchInsights>,
    correlationId: string,
  ): Promise<ResponseOf<typeof GetSearchInsights>> {
    return this.bus.request(GetSearchInsights, query, { correlationId });
  }

  startReindex(correlationId: string): Promise<ResponseOf<typeof StartSearchReindex>> {
    return this.bus.request(StartSearchReindex, {}, { correlationId });
  }

  reindexStatus(correlationId: string): Promise<ResponseOf<typeof GetSearchReindexStatus>> {
    return this.bus.request(GetSearchReindexStatus, {}, { correlationId });
  }
}
