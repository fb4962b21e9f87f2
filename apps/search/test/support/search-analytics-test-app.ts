import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@mercato/config';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { PersistenceModule } from '@mercato/persistence';
import type { TestDynamo } from '@mercato/testing';
import { SearchClock } from '../../src/search.clock';
import { SearchAnalyticsModule } from '../../src/analytics/search-analytics.module';
import { SearchAnalytics } from '../../src/analytics/search-analytics.service';

/** A clock set to a fixed instant that the test moves, so day boundaries need no waiting. */
export class TestAnalyticsClock extends SearchClock {
  constructor(private instant: number) {
    super();
  }

  override now(): number {
    return this.instant;
  }

  set(iso: string): void {
    this.instant = Date.parse(iso);
  }
}

export interface SearchAnalyticsTestApp {
  moduleRef: TestingModule;
  analytics: SearchAnalytics;
  bus: MessageBus;
  clock: TestAnalyticsClock;
  close(): Promise<void>;
}

/**
 * The analytics part of one search replica on a shared test dynalite, with its own in-process
 * bus and clock (starting at `now`). The flush interval is an hour unless `config` says
 * otherwise, so counts reach DynamoDB when a test calls `flush()` or closes the app.
 */
export async function startSearchAnalyticsTestApp(
  dynamo: TestDynamo,
  now: string,
  config: Record<string, unknown> = {},
): Promise<SearchAnalyticsTestApp> {
  const clock = new TestAnalyticsClock(Date.parse(now));
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ SEARCH_ANALYTICS_FLUSH_MS: 3_600_000, ...config }),
      PersistenceModule.forRoot(dynamo.config),
      MessagingModule.forRoot({
        MERCATO_BUS: 'memory',
        BUS_MAX_ATTEMPTS: 1,
        BUS_RETRY_BACKOFF_MS: 1,
      }),
      SearchAnalyticsModule,
    ],
  })
    .overrideProvider(SearchClock)
    .useValue(clock)
    .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
    .compile();
  await moduleRef.init();
  return {
    moduleRef,
    analytics: moduleRef.get(SearchAnalytics),
    bus: moduleRef.get(MessageBus),
    clock,
    close: () => moduleRef.close(),
  };
}
