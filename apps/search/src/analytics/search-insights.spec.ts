import type { QueryStatsRow } from './search-analytics.repository';
import { insightsOf } from './search-insights';

const row = (day: string, query: string, counts: Partial<QueryStatsRow>): QueryStatsRow => ({
  day,
  query,
  searches: 0,
  zeroResults: 0,
  clicks: 0,
  cartAdds: 0,
  ...counts,
});
const range = { from: '2026-12-06', to: '2026-12-07', limit: 10 };

describe('insightsOf', () => {
  it("adds up a query's days and the totals of every query", () => {
    const insights = insightsOf(
      [
        row('2026-12-06', 'shoes', { searches: 3, clicks: 1 }),
        row('2026-12-07', 'shoes', { searches: 5, zeroResults: 1, clicks: 3, cartAdds: 1 }),
        row('2026-12-07', 'hat', { searches: 2, zeroResults: 2 }),
      ],
      range,
    );
    expect(insights.from).toBe('2026-12-06');
    expect(insights.to).toBe('2026-12-07');
    expect(insights.totals).toEqual({
      searches: 10,
      zeroResults: 3,
      zeroResultRate: 0.3,
      clicks: 4,
      cartAdds: 1,
      clickThroughRate: 0.4,
    });
    expect(insights.topQueries[0]).toEqual({
      query: 'shoes',
      searches: 8,
      zeroResults: 1,
      clicks: 4,
      cartAdds: 1,
      clickThroughRate: 0.5,
    });
  });

  it('ranks top queries by searches, ties by query, at most `limit`', () => {
    const insights = insightsOf(
      [
        row('2026-12-06', 'b', { searches: 2 }),
        row('2026-12-06', 'c', { searches: 1 }),
        row('2026-12-07', 'c', { searches: 2 }),
        row('2026-12-07', 'a', { searches: 2 }),
      ],
      { ...range, limit: 2 },
    );
    expect(insights.topQueries.map((stats) => stats.query)).toEqual(['c', 'a']);
  });

  it('lists only queries that found nothing as zero-result queries, most first', () => {
    const insights = insightsOf(
      [
        row('2026-12-06', 'found', { searches: 9 }),
        row('2026-12-06', 'rare', { searches: 1, zeroResults: 1 }),
        row('2026-12-07', 'typo', { searches: 4, zeroResults: 4 }),
      ],
      range,
    );
    expect(insights.zeroResultQueries.map((stats) => [stats.query, stats.zeroResults])).toEqual([
      ['typo', 4],
      ['rare', 1],
    ]);
  });

  it('answers zero rates when nothing was searched', () => {
    const insights = insightsOf([], range);
    expect(insights.totals).toMatchObject({ searches: 0, zeroResultRate: 0, clickThroughRate: 0 });
    expect(insights.topQueries).toEqual([]);
  });
});
