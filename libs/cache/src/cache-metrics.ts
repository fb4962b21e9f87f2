import { TallyCounter, type Tally } from '@mercato/observability';

export type CacheLayer = 'local' | 'shared';
export type CacheOutcome = 'hit' | 'miss';

/** Label sets bound once, so counting on the hot path is one addition. */
export interface CacheRequestCounters {
  localHit: Tally;
  localMiss: Tally;
  sharedHit: Tally;
  sharedMiss: Tally;
}

export const CACHE_REQUESTS_METRIC = 'mercato_cache_requests_total';

let counters: CacheRequestCounters | undefined;

/**
 * `mercato_cache_requests_total{layer,outcome}` in prom-client's default registry (served at
 * /metrics). Hit ratio of the local layer: local hits / local requests; of the whole cache:
 * (local hits + shared hits) / local requests.
 */
export function cacheRequestCounters(): CacheRequestCounters {
  if (counters) return counters;
  const counter = new TallyCounter({
    name: CACHE_REQUESTS_METRIC,
    help: 'Cache lookups per key, by layer (local in-process LRU, shared cache) and outcome',
    labelNames: ['layer', 'outcome'] as const,
  });
  counters = {
    localHit: counter.tally({ layer: 'local', outcome: 'hit' }),
    localMiss: counter.tally({ layer: 'local', outcome: 'miss' }),
    sharedHit: counter.tally({ layer: 'shared', outcome: 'hit' }),
    sharedMiss: counter.tally({ layer: 'shared', outcome: 'miss' }),
  };
  return counters;
}
