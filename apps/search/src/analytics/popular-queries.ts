import { Injectable, Logger } from '@nestjs/common';
import { normaliseQuery } from './search-query';
import { SearchAnalytics } from './search-analytics.service';

/** Past queries autocomplete draws from: the most searched of the last week. */
const POPULAR_DAYS = 7;
const POPULAR_COUNT = 100;
/** How stale the list may get: popular queries change over hours, not seconds. */
const REFRESH_MS = 5 * 60_000;

/**
 * The most searched queries that found something, for autocomplete. Kept in memory and
 * refreshed in the background when older than REFRESH_MS, so a keystroke never waits for the
 * analytics table (the refresh reads a week of query counts).
 */
@Injectable()
export class PopularQueries {
  private readonly logger = new Logger(PopularQueries.name);
  private queries: readonly string[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(private readonly analytics: SearchAnalytics) {}

  /** Popular queries that start with what was typed (normalised), most searched first. */
  startingWith(typed: string, limit: number): string[] {
    this.refreshIfStale();
    const prefix = normaliseQuery(typed);
    if (prefix === '') return [];
    return this.queries.filter((q) => q !== prefix && q.startsWith(prefix)).slice(0, limit);
  }

  /** Reloads now (tests, and the first keystroke after start waits for nothing either way). */
  async refresh(): Promise<void> {
    const insights = await this.analytics.insights({ days: POPULAR_DAYS, limit: POPULAR_COUNT });
    this.queries = insights.topQueries
      .filter((stats) => stats.searches > stats.zeroResults)
      .map((stats) => stats.query);
    this.loadedAt = Date.now();
  }

  private refreshIfStale(): void {
    if (this.loading || Date.now() - this.loadedAt < REFRESH_MS) return;
    this.loading = this.refresh()
      .catch((error: unknown) => {
        // Autocomplete goes on with titles alone; the next keystroke after REFRESH_MS retries.
        this.loadedAt = Date.now();
        this.logger.warn(`popular queries not refreshed: ${String(error)}`);
      })
      .finally(() => (this.loading = undefined));
  }
}
