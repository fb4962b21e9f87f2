import { Injectable } from '@nestjs/common';
import {
  GetSearchInsights,
  RecordSearchFeedback,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { SearchAnalytics } from './search-analytics.service';

/** Bus handlers of search analytics: translate only. */
@Injectable()
export class SearchAnalyticsHandlers {
  constructor(private readonly analytics: SearchAnalytics) {}

  @OnRequest(RecordSearchFeedback)
  recordFeedback(
    request: RequestOf<typeof RecordSearchFeedback>,
  ): Promise<ResponseOf<typeof RecordSearchFeedback>> {
    return this.analytics.recordFeedback(request);
  }

  @OnRequest(GetSearchInsights)
  insights(
    request: RequestOf<typeof GetSearchInsights>,
  ): Promise<ResponseOf<typeof GetSearchInsights>> {
    return this.analytics.insights(request);
  }
}
