import type { GetSearchInsights, ResponseOf } from '@mercato/contracts';
import type { QueryStatsRow } from './search-analytics.repository';

export type SearchInsights = ResponseOf<typeof GetSearchInsights>;
type QueryStats = SearchInsights['topQueries'][number];

/**
 * Insights from the per-day rows of `from`..`to`: each query's days added up, totals over every
 * query, `limit` queries by searches (most first, ties by query) and `limit` queries that found
 * nothing, by zero-result searches (most first, ties by query).
 */
export function insightsOf(
  rows: readonly QueryStatsRow[],
  range: { from: string; to: string; limit: number },
): SearchInsights {
  const byQuery = new Map<string, QueryStats>();
  const totals = { searches: 0, zeroResults: 0, clicks: 0, cartAdds: 0 };
  for (const row of rows) {
    let stats = byQuery.get(row.query);
    if (!stats) {
      stats = {
        query: row.query,
        searches: 0,
        zeroResults: 0,
        clicks: 0,
        cartAdds: 0,
        clickThroughRate: 0,
      };
      byQuery.set(row.query, stats);
    }
    stats.searches += row.searches;
    stats.zeroResults += row.zeroResults;
    stats.clicks += row.clicks;
    stats.cartAdds += row.cartAdds;
    totals.searches += row.searches;
    totals.zeroResults += row.zeroResults;
    totals.clicks += row.clicks;
    totals.cartAdds += row.cartAdds;
  }
  const all = [...byQuery.values()];
  for (const stats of all) stats.clickThroughRate = rate(stats.clicks, stats.searches);
  return {
    from: range.from,
    to: range.to,
    totals: {
      ...totals,
      zeroResultRate: rate(totals.zeroResults, totals.searches),
      clickThroughRate: rate(totals.clicks, totals.searches),
    },
    topQueries: top(all, 'searches', range.limit),
    zeroResultQueries: top(
      all.filter((stats) => stats.zeroResults > 0),
      'zeroResults',
      range.limit,
    ),
  };
}

function top(stats: QueryStats[], by: 'searches' | 'zeroResults', limit: number): QueryStats[] {
  return [...stats]
    .sort((a, b) => b[by] - a[by] || (a.query < b.query ? -1 : a.query > b.query ? 1 : 0))
    .slice(0, limit);
}

/** part / whole to four decimals; 0 when there is no whole. */
function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}
