import { REGIONS, type Region } from '@mercato/contracts';
import {
  LatencyHistogram,
  TallyCounter,
  type LatencyRecorder,
  type Tally,
} from '@mercato/observability';

export const SEARCH_QUERIES_METRIC = 'mercato_search_queries_total';
export const SEARCH_DURATION_METRIC = 'mercato_search_duration_seconds';

/** The search path answers in 1–100 ms (Orama in process, OpenSearch on the stack). */
const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.25, 1,
];

type Outcome = 'hits' | 'zero_results';
type Kind = 'text' | 'browse';

/**
 * Every label set bound once, so the search path counts with one addition and one bucket
 * search. Zero-result rate of text searches:
 * `sum(rate(mercato_search_queries_total{kind="text",outcome="zero_results"}[5m]))
 *  / sum(rate(mercato_search_queries_total{kind="text"}[5m]))`.
 */
export interface SearchMetrics {
  queries: Readonly<Record<Region, Readonly<Record<Kind, Readonly<Record<Outcome, Tally>>>>>>;
  searchDuration: LatencyRecorder;
  suggestDuration: LatencyRecorder;
}

let metrics: SearchMetrics | undefined;

/**
 * The search app's metrics in prom-client's default registry (served at /metrics), made once
 * per process however many modules are created (the store, tests).
 */
export function searchMetrics(): SearchMetrics {
  if (metrics) return metrics;
  const queries = new TallyCounter({
    name: SEARCH_QUERIES_METRIC,
    help: 'Product searches by region, kind (text query or browse) and outcome (hits, zero results)',
    labelNames: ['region', 'kind', 'outcome'] as const,
  });
  const duration = new LatencyHistogram(
    SEARCH_DURATION_METRIC,
    'Time the search service took to answer, by operation (search, suggest)',
    ['operation'],
    DURATION_BUCKETS,
  );
  const outcomes = (region: Region, kind: Kind) => ({
    hits: queries.tally({ region, kind, outcome: 'hits' }),
    zero_results: queries.tally({ region, kind, outcome: 'zero_results' }),
  });
  metrics = {
    queries: Object.fromEntries(
      REGIONS.map((region) => [
        region,
        { text: outcomes(region, 'text'), browse: outcomes(region, 'browse') },
      ]),
    ) as SearchMetrics['queries'],
    searchDuration: duration.recorder({ operation: 'search' }),
    suggestDuration: duration.recorder({ operation: 'suggest' }),
  };
  return metrics;
}
