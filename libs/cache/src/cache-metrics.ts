import { Counter, register } from 'prom-client';

export type CacheLayer = 'local' | 'shared';
export type CacheOutcome = 'hit' | 'miss';

/** Label sets created once, so counting on the hot path is one increment. */
export interface CacheRequestCounters {
  localHit: Counter.Internal;
  localMiss: Counter.Internal;
  sharedHit: Counter.Internal;
  sharedMiss: Counter.Internal;
}

export const CACHE_REQUESTS_METRIC = 'mercato_cache_requests_total';

let counters: CacheRequestCounters | undefined;

/**
 * `mercato_cache_requests_total{layer,outcome}` in prom-client's default registry (served at
 * /metrics). Hit ratio of the local layer: local hits / local requests; of the whole cache:
 * (local hits + shared hits) / local requests. Reused when already registered.
 */
export function cacheRequestCounters(): CacheRequestCounters {
  if (counters) return counters;
  const counter =
    (register.getSingleMetric(CACHE_REQUESTS_METRIC) as Counter<'layer' | 'outcome'> | undefined) ??
    new Counter({
      name: CACHE_REQUESTS_METRIC,
      help: 'Cache lookups per key, by layer (local in-process LRU, shared cache) and outcome',
      labelNames: ['layer', 'outcome'] as const,
    });
  counters = {
    localHit: counter.labels('local', 'hit'),
    localMiss: counter.labels('local', 'miss'),
    sharedHit: counter.labels('shared', 'hit'),
    sharedMiss: counter.labels('shared', 'miss'),
  };
  return counters;
}
