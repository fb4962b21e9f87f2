import { collectDefaultMetrics, register } from 'prom-client';

/** How often the event-loop monitor ticks (ms); each tick records the interval since the last. */
export const EVENT_LOOP_TICK_MS = 10;

/**
 * Node's own figures on /metrics (event-loop delay, GC pauses by kind, heap, CPU), once per
 * process however many apps it hosts. They explain a latency tail the HTTP histogram cannot:
 * a request that waited for a busy event loop before it was read is timed from then.
 */
export function collectProcessMetrics(): void {
  if (register.getSingleMetric('nodejs_eventloop_lag_p99_seconds')) return;
  collectDefaultMetrics({ eventLoopMonitoringPrecision: EVENT_LOOP_TICK_MS });
}
