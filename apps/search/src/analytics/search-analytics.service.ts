import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import type {
  GetSearchInsights,
  RecordSearchFeedback,
  Region,
  RequestOf,
  ResponseOf,
} from '@mercato/contracts';
import { mapLimit } from '../products/map-limit';
import { SearchErrorCode, SearchException } from '../search.exception';
import { decodeQueryId, encodeQueryId } from './query-id';
import { searchAnalyticsSettings, type SearchAnalyticsSettings } from './search-analytics.config';
import { SearchClock } from '../search.clock';
import { SearchAnalyticsRepository } from './search-analytics.repository';
import { insightsOf, type SearchInsights } from './search-insights';
import { searchMetrics } from './search-metrics';
import { daysBetween, expiryAfter, lastDays, normaliseQuery, utcDay } from './search-query';

/** One search as the search service reports it. */
export interface SearchRecord {
  q?: string;
  region: Region;
  /** Every match, not just the page. */
  total: number;
  tookMs: number;
}

type FeedbackRequest = RequestOf<typeof RecordSearchFeedback>;
type FeedbackResponse = ResponseOf<typeof RecordSearchFeedback>;

interface PendingCounts {
  day: string;
  query: string;
  searches: number;
  zeroResults: number;
}

/**
 * (day, query) items written at a time by a flush: one, so a flush is a trickle of background
 * writes rather than a burst. Measured on the stack (2 cores, 3,500 distinct queries at 100
 * req/s, dynalite on the same cores): search p99 168–264 ms flushing eight at a time every 2 s,
 * 150–289 ms one at a time every 5 s, 77–79 ms with no flush — the cost is the writes
 * themselves (one per distinct query per flush), not their burstiness (docs/performance.md).
 */
const FLUSH_CONCURRENCY = 1;
/** Days read at once by insights. */
const INSIGHTS_CONCURRENCY = 4;
/**
 * A replica whose clock is ahead may issue an id dated tomorrow just after midnight; one day of
 * skew is accepted, anything later was not issued by this service.
 */
const FUTURE_DAYS_ACCEPTED = 1;

/**
 * Anonymised search analytics: counts each text search per UTC day and normalised query (never
 * who searched: the caller passes no shopper), its clicks and cart adds, and answers insights.
 * Searches are counted in memory and added to DynamoDB every SEARCH_ANALYTICS_FLUSH_MS and at
 * shutdown: the search path (900+ req/s in one process) pays a map update, not a write, and a
 * crash loses at most one interval of counts — a rounding error in trends, which is all these
 * numbers are for.
 */
@Injectable()
export class SearchAnalytics implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SearchAnalytics.name);
  private readonly settings: SearchAnalyticsSettings;
  private readonly metrics = searchMetrics();
  private pending = new Map<string, PendingCounts>();
  private flushing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: SearchAnalyticsRepository,
    private readonly clock: SearchClock,
    @InjectConfig() config: object,
  ) {
    this.settings = searchAnalyticsSettings(config);
  }

  /**
   * Counts one search (a browse, without text, only in the metrics) and answers its query id.
   * Synchronous, no I/O: about 8 µs on this machine (a third of it the nonce's random bytes),
   * under 1% of a core at 900 searches/s.
   */
  recordSearch(search: SearchRecord): string {
    const query = normaliseQuery(search.q);
    const day = utcDay(this.clock.now());
    const outcome = search.total === 0 ? 'zero_results' : 'hits';
    this.metrics.queries[search.region][query === '' ? 'browse' : 'text'][outcome].inc();
    this.metrics.searchDuration.observe(search.tookMs / 1000);
    if (query !== '') {
      const key = `${day}\n${query}`;
      let counts = this.pending.get(key);
      if (!counts) {
        counts = { day, query, searches: 0, zeroResults: 0 };
        this.pending.set(key, counts);
      }
      counts.searches++;
      if (search.total === 0) counts.zeroResults++;
    }
    // A browse gets an id too (the contract requires one); its feedback has no query to count.
    return encodeQueryId({ day, query });
  }

  /** Records how long one suggest request took (the suggest path's latency histogram). */
  recordSuggest(suggest: { tookMs: number }): void {
    this.metrics.suggestDuration.observe(suggest.tookMs / 1000);
  }

  /**
   * Counts a click or cart add on a search's hit, once per (query id, product, type). Feedback
   * on a browse, or older than SEARCH_FEEDBACK_DAYS, is accepted and not counted.
   */
  async recordFeedback(feedback: FeedbackRequest): Promise<FeedbackResponse> {
    const search = decodeQueryId(feedback.queryId);
    const age = search && daysBetween(search.day, utcDay(this.clock.now()));
    if (!search || age === undefined || age < -FUTURE_DAYS_ACCEPTED) {
      throw new SearchException(
        SearchErrorCode.InvalidQueryId,
        'queryId was not issued by the search service',
        [{ field: 'queryId', message: 'not a query id of a search' }],
      );
    }
    if (search.query === '' || age > this.settings.SEARCH_FEEDBACK_DAYS) return { counted: false };
    const marker = feedbackKey(feedback);
    const markerExpiry = expiryAfter(search.day, this.settings.SEARCH_FEEDBACK_DAYS + 1);
    if (!(await this.repository.claimFeedback(marker, markerExpiry))) return { counted: false };
    // Marker first, counter second: should the process die between the two, the feedback is
    // not counted and its repeat finds the marker — an under-count of one, never a double
    // count. Without transactions (dynalite has none) nothing makes the pair atomic, and one
    // item holding both (a set of markers on the day's query item) would outgrow DynamoDB's
    // 400 KB item limit for a popular query. A failed counter write gives the marker back, so
    // the caller's retry counts.
    try {
      await this.repository.addCounts(
        search.day,
        search.query,
        feedback.type === 'click' ? { clicks: 1 } : { cartAdds: 1 },
        expiryAfter(search.day, this.settings.SEARCH_ANALYTICS_RETENTION_DAYS),
      );
    } catch (error) {
      await this.repository.releaseFeedback(marker).catch(() => undefined);
      throw error;
    }
    return { counted: true };
  }

  /**
   * Insights over the last `days` UTC days, today included, from the stored counts (this and
   * every other replica's searches of the last flush interval are not in yet).
   */
  async insights(request: RequestOf<typeof GetSearchInsights>): Promise<SearchInsights> {
    const days = lastDays(request.days, this.clock.now());
    const perDay = await mapLimit(days, INSIGHTS_CONCURRENCY, (day) =>
      this.repository.statsOfDay(day),
    );
    return insightsOf(perDay.flat(), {
      from: days[0],
      to: days[days.length - 1],
      limit: request.limit,
    });
  }

  /**
   * Adds the counts held in memory to DynamoDB; one flush at a time. Counts whose write fails
   * go back into memory for the next flush (so an outage delays them, not loses them), and the
   * first failure is thrown.
   */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.writePending());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) =>
        this.logger.warn(`search counts not written yet: ${(error as Error).message}`),
      );
    }, this.settings.SEARCH_ANALYTICS_FLUSH_MS);
    this.timer.unref();
  }

  // On application shutdown, not before: every `beforeApplicationShutdown` hook has run by
  // then (the bus has finished its in-flight searches), and DynamoDB closes in the persistence
  // root's hook, which Nest calls after this module's (global modules shut down last).
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch((error: unknown) =>
      this.logger.error(`search counts lost at shutdown: ${(error as Error).message}`),
    );
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    let failure: unknown;
    await mapLimit(batch, FLUSH_CONCURRENCY, async (counts) => {
      try {
        await this.repository.addCounts(
          counts.day,
          counts.query,
          { searches: counts.searches, zeroResults: counts.zeroResults },
          expiryAfter(counts.day, this.settings.SEARCH_ANALYTICS_RETENTION_DAYS),
        );
      } catch (error) {
        failure ??= error;
        this.restore(counts);
      }
    });
    if (failure !== undefined) throw failure;
  }

  private restore(counts: PendingCounts): void {
    const key = `${counts.day}\n${counts.query}`;
    const current = this.pending.get(key);
    if (!current) {
      this.pending.set(key, counts);
      return;
    }
    current.searches += counts.searches;
    current.zeroResults += counts.zeroResults;
  }
}

/** The marker of one feedback: a digest, so any query id and product id make a short key. */
function feedbackKey(feedback: FeedbackRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([feedback.queryId, feedback.productId, feedback.type]))
    .digest('base64url');
}
