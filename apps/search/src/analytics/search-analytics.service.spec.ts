import { GetSearchInsights, RecordSearchFeedback } from '@mercato/contracts';
import { RemoteError } from '@mercato/messaging';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { register } from 'prom-client';
import {
  startSearchAnalyticsTestApp,
  type SearchAnalyticsTestApp,
} from '../../test/support/search-analytics-test-app';
import { encodeQueryId } from './query-id';
import { SearchAnalyticsRepository } from './search-analytics.repository';
import type { SearchAnalytics } from './search-analytics.service';
import { SEARCH_ANALYTICS_TABLES } from './search-analytics.tables';
import { SEARCH_DURATION_METRIC, SEARCH_QUERIES_METRIC } from './search-metrics';

let dynamo: TestDynamo;
const apps: SearchAnalyticsTestApp[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamo(SEARCH_ANALYTICS_TABLES);
}, 30_000);
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  jest.restoreAllMocks();
});
afterAll(() => dynamo?.close());

/** Each test on its own UTC day, so counts of one never show in another's insights. */
let dayOffset = 0;
function freshDay(): string {
  dayOffset += 1;
  return new Date(Date.UTC(2027, 0, 1) + dayOffset * 100 * 86_400_000).toISOString().slice(0, 10);
}

async function replica(now: string, config: Record<string, unknown> = {}) {
  const app = await startSearchAnalyticsTestApp(dynamo, now, config);
  apps.push(app);
  return app;
}

const today = (app: SearchAnalyticsTestApp) =>
  app.bus.request(GetSearchInsights, { days: 1, limit: 10 });

function search(analytics: SearchAnalytics, q: string | undefined, total = 3): string {
  return analytics.recordSearch({ q, region: 'us', total, tookMs: 4.2 });
}

describe('search counting', () => {
  it('counts each text search under its day and normalised query once flushed', async () => {
    const day = freshDay();
    const app = await replica(`${day}T10:00:00Z`);
    search(app.analytics, 'Running  Shoes');
    search(app.analytics, ' running shoes ', 0);
    search(app.analytics, 'hat', 0);
    expect((await today(app)).totals.searches).toBe(0);

    await app.analytics.flush();

    const insights = await today(app);
    expect(insights.from).toBe(day);
    expect(insights.totals).toMatchObject({ searches: 3, zeroResults: 2 });
    expect(insights.topQueries).toEqual([
      {
        query: 'running shoes',
        searches: 2,
        zeroResults: 1,
        clicks: 0,
        cartAdds: 0,
        clickThroughRate: 0,
      },
      { query: 'hat', searches: 1, zeroResults: 1, clicks: 0, cartAdds: 0, clickThroughRate: 0 },
    ]);
  });

  it('does not count a browse (no text) as a search', async () => {
    const app = await replica(`${freshDay()}T10:00:00Z`);
    search(app.analytics, undefined);
    search(app.analytics, '   ');
    await app.analytics.flush();
    expect((await today(app)).totals.searches).toBe(0);
  });

  it('flushes on its own every SEARCH_ANALYTICS_FLUSH_MS', async () => {
    const app = await replica(`${freshDay()}T10:00:00Z`, { SEARCH_ANALYTICS_FLUSH_MS: 100 });
    const flush = app.analytics.flush.bind(app.analytics);
    const flushed = new Promise<void>((resolve) =>
      jest.spyOn(app.analytics, 'flush').mockImplementation(() => {
        const done = flush();
        void done.then(resolve);
        return done;
      }),
    );
    search(app.analytics, 'lamp');
    await flushed;
    expect((await today(app)).topQueries.map((stats) => stats.query)).toEqual(['lamp']);
  });

  it('writes what it holds when the app shuts down', async () => {
    const day = freshDay();
    const app = await replica(`${day}T10:00:00Z`);
    search(app.analytics, 'desk');
    await apps.pop()!.close();

    const reader = await replica(`${day}T11:00:00Z`);
    expect((await today(reader)).topQueries).toMatchObject([{ query: 'desk', searches: 1 }]);
  });

  it('keeps counts whose write failed for the next flush', async () => {
    const app = await replica(`${freshDay()}T10:00:00Z`);
    const repository = app.moduleRef.get(SearchAnalyticsRepository);
    jest.spyOn(repository, 'addCounts').mockRejectedValueOnce(new Error('throttled'));
    search(app.analytics, 'chair');
    await expect(app.analytics.flush()).rejects.toThrow('throttled');
    search(app.analytics, 'chair');

    await app.analytics.flush();
    expect((await today(app)).topQueries).toMatchObject([{ query: 'chair', searches: 2 }]);
  });

  it('adds up the counts of several replicas', async () => {
    const day = freshDay();
    const [a, b] = [await replica(`${day}T10:00:00Z`), await replica(`${day}T10:00:00Z`)];
    search(a.analytics, 'sofa');
    search(b.analytics, 'sofa');
    await Promise.all([a.analytics.flush(), b.analytics.flush()]);
    expect((await today(a)).topQueries).toMatchObject([{ query: 'sofa', searches: 2 }]);
  });
});

describe('search feedback', () => {
  it('counts a click and a cart add once each per query id and product', async () => {
    const app = await replica(`${freshDay()}T10:00:00Z`);
    const queryId = search(app.analytics, 'shoes');
    const feedback = (productId: string, type: 'click' | 'add_to_cart') =>
      app.bus.request(RecordSearchFeedback, { queryId, productId, type });

    expect(await feedback('P1', 'click')).toEqual({ counted: true });
    expect(await feedback('P1', 'click')).toEqual({ counted: false });
    expect(await feedback('P1', 'add_to_cart')).toEqual({ counted: true });
    expect(await feedback('P2', 'click')).toEqual({ counted: true });
    const repeats = await Promise.all([feedback('P3', 'click'), feedback('P3', 'click')]);
    expect(repeats.filter((answer) => answer.counted)).toHaveLength(1);

    await app.analytics.flush();
    expect((await today(app)).topQueries).toEqual([
      { query: 'shoes', searches: 1, zeroResults: 0, clicks: 3, cartAdds: 1, clickThroughRate: 3 },
    ]);
  });

  it('counts clicks of two searches of the same query apart', async () => {
    const app = await replica(`${freshDay()}T10:00:00Z`);
    for (const queryId of [search(app.analytics, 'shoes'), search(app.analytics, 'shoes')]) {
      await app.bus.request(RecordSearchFeedback, { queryId, productId: 'P1', type: 'click' });
    }
    expect((await today(app)).totals.clicks).toBe(2);
  });

  it('counts feedback under the day of the search, not of the click', async () => {
    const day = freshDay();
    const app = await replica(`${day}T23:59:00Z`);
    const queryId = search(app.analytics, 'late');
    app.clock.set(`${day}T23:59:59Z`);
    await app.analytics.flush();
    app.clock.set(new Date(Date.parse(day) + 86_400_000 + 60_000).toISOString());
    await app.bus.request(RecordSearchFeedback, { queryId, productId: 'P1', type: 'click' });

    const twoDays = await app.bus.request(GetSearchInsights, { days: 2, limit: 10 });
    expect(twoDays.from).toBe(day);
    expect(twoDays.topQueries).toMatchObject([{ query: 'late', searches: 1, clicks: 1 }]);
    expect((await today(app)).totals.clicks).toBe(0);
  });

  it('accepts and does not count feedback on a browse', async () => {
    const app = await replica(`${freshDay()}T10:00:00Z`);
    const queryId = search(app.analytics, undefined);
    expect(
      await app.bus.request(RecordSearchFeedback, { queryId, productId: 'P1', type: 'click' }),
    ).toEqual({ counted: false });
  });

  it('accepts and does not count feedback older than SEARCH_FEEDBACK_DAYS', async () => {
    const day = freshDay();
    const app = await replica(`${day}T10:00:00Z`, { SEARCH_FEEDBACK_DAYS: 2 });
    const queryId = search(app.analytics, 'old');
    app.clock.set(new Date(Date.parse(day) + 3 * 86_400_000).toISOString());
    expect(
      await app.bus.request(RecordSearchFeedback, { queryId, productId: 'P1', type: 'click' }),
    ).toEqual({ counted: false });
  });

  it('refuses a query id it did not issue with 400 INVALID_QUERY_ID', async () => {
    const day = freshDay();
    const app = await replica(`${day}T10:00:00Z`);
    const forged = Buffer.from('{"v":1,"d":"2026-12-07","q":"Shoes"}').toString('base64url');
    const inTwoDays = encodeQueryId({
      day: new Date(Date.parse(day) + 2 * 86_400_000).toISOString().slice(0, 10),
      query: 'shoes',
    });
    for (const queryId of ['not-a-query-id', forged, inTwoDays]) {
      const refusal = await app.bus
        .request(RecordSearchFeedback, { queryId, productId: 'P1', type: 'click' })
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(RemoteError);
      expect(refusal).toMatchObject({
        status: 400,
        code: 'INVALID_QUERY_ID',
        errors: [{ field: 'queryId', message: 'not a query id of a search' }],
      });
    }
  });

  it('counts a retry when the counter write failed after the marker was written', async () => {
    const app = await replica(`${freshDay()}T10:00:00Z`);
    const repository = app.moduleRef.get(SearchAnalyticsRepository);
    jest.spyOn(repository, 'addCounts').mockRejectedValueOnce(new Error('throttled'));
    const request = {
      queryId: search(app.analytics, 'rug'),
      productId: 'P1',
      type: 'click' as const,
    };

    await expect(app.analytics.recordFeedback(request)).rejects.toThrow('throttled');
    expect(await app.analytics.recordFeedback(request)).toEqual({ counted: true });
    expect(await app.analytics.recordFeedback(request)).toEqual({ counted: false });
  });
});

describe('search insights', () => {
  it('merges the last `days` UTC days, today included, and leaves older ones out', async () => {
    const first = freshDay();
    const at = (days: number) =>
      new Date(Date.parse(first) + days * 86_400_000 + 3_600_000).toISOString();
    const app = await replica(at(0));
    search(app.analytics, 'gone');
    await app.analytics.flush();
    app.clock.set(at(1));
    search(app.analytics, 'boots', 0);
    search(app.analytics, 'scarf');
    await app.analytics.flush();
    app.clock.set(at(2));
    search(app.analytics, 'boots', 0);
    search(app.analytics, 'scarf');
    search(app.analytics, 'scarf');
    await app.analytics.flush();

    const insights = await app.bus.request(GetSearchInsights, { days: 2, limit: 10 });
    expect([insights.from, insights.to]).toEqual([at(1).slice(0, 10), at(2).slice(0, 10)]);
    expect(insights.topQueries.map((stats) => [stats.query, stats.searches])).toEqual([
      ['scarf', 3],
      ['boots', 2],
    ]);
    expect(insights.zeroResultQueries.map((stats) => [stats.query, stats.zeroResults])).toEqual([
      ['boots', 2],
    ]);
    expect(insights.totals).toMatchObject({ searches: 5, zeroResults: 2, zeroResultRate: 0.4 });
  });
});

describe('search metrics', () => {
  /** The value of one series in the /metrics text (0 before its first observation). */
  const sample = async (metric: string, series: string) => {
    const text = await register.getSingleMetricAsString(metric);
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };
  const zeroResults = () =>
    sample(
      SEARCH_QUERIES_METRIC,
      `${SEARCH_QUERIES_METRIC}{region="eu",kind="text",outcome="zero_results"}`,
    );
  const browses = () =>
    sample(
      SEARCH_QUERIES_METRIC,
      `${SEARCH_QUERIES_METRIC}{region="eu",kind="browse",outcome="hits"}`,
    );
  const timed = (operation: string) =>
    sample(SEARCH_DURATION_METRIC, `${SEARCH_DURATION_METRIC}_count{operation="${operation}"}`);
  const fastSearches = () =>
    sample(
      SEARCH_DURATION_METRIC,
      `${SEARCH_DURATION_METRIC}_bucket{le="0.0025",operation="search"}`,
    );

  it('counts searches by kind and outcome and times search and suggest', async () => {
    const app = await replica(`${freshDay()}T10:00:00Z`);
    const before = [
      await zeroResults(),
      await browses(),
      await timed('search'),
      await timed('suggest'),
      await fastSearches(),
    ];

    app.analytics.recordSearch({ q: 'nothing here', region: 'eu', total: 0, tookMs: 3 });
    app.analytics.recordSearch({ region: 'eu', total: 12, tookMs: 2 });
    app.analytics.recordSuggest({ tookMs: 1 });

    const after = [
      await zeroResults(),
      await browses(),
      await timed('search'),
      await timed('suggest'),
      await fastSearches(),
    ];
    expect(after.map((value, i) => value - before[i])).toEqual([1, 1, 2, 1, 1]);
  });
});
