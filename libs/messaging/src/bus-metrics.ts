import { Counter, Histogram, register } from 'prom-client';

/** Outcome of one delivery of a message to a consumer group. */
export type DeliveryOutcome = 'handled' | 'retried' | 'dead_lettered';
/** Outcome of one request as seen by the caller. */
export type RequestOutcome = 'ok' | 'remote_error' | 'timeout' | 'invalid_reply' | 'failed';

export interface BusMetrics {
  messages: Counter<'topic' | 'group' | 'outcome'>;
  handlerSeconds: Histogram<'topic' | 'group'>;
  requestSeconds: Histogram<'topic' | 'outcome'>;
}

/** Metrics live in prom-client's default registry; reuse them so several buses can share a process. */
function singleton<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let metrics: BusMetrics | undefined;

export function busMetrics(): BusMetrics {
  metrics ??= {
    messages: singleton(
      'mercato_bus_messages_total',
      () =>
        new Counter({
          name: 'mercato_bus_messages_total',
          help: 'Messages delivered to consumer groups, by outcome (handled, retried, dead_lettered)',
          labelNames: ['topic', 'group', 'outcome'] as const,
        }),
    ),
    handlerSeconds: singleton(
      'mercato_bus_handler_seconds',
      () =>
        new Histogram({
          name: 'mercato_bus_handler_seconds',
          help: 'Time spent in message handlers, per delivery attempt',
          labelNames: ['topic', 'group'] as const,
          buckets: LATENCY_BUCKETS,
        }),
    ),
    requestSeconds: singleton(
      'mercato_bus_request_seconds',
      () =>
        new Histogram({
          name: 'mercato_bus_request_seconds',
          help: 'Request/reply latency seen by the caller, by outcome',
          labelNames: ['topic', 'outcome'] as const,
          buckets: LATENCY_BUCKETS,
        }),
    ),
  };
  return metrics;
}
