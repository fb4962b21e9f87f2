import { Histogram, register } from 'prom-client';

function singleton<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** HTTP latency by route pattern and status; the route pattern keeps label cardinality bounded. */
export const httpRequestDuration = singleton(
  'mercato_http_request_duration_seconds',
  () =>
    new Histogram({
      name: 'mercato_http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
);

type DurationChild = ReturnType<typeof httpRequestDuration.labels>;
const durationChildren = new Map<string, DurationChild>();

/**
 * Records one request's latency. The labelled child is looked up once per (method, route,
 * status) and kept: prom-client's `labels()` hashes and validates its arguments on every call,
 * a visible cost on a path that answers in microseconds (PERFORMANCE.md: "metrics with
 * pre-created label sets"). Routes are patterns, so the map stays small.
 */
export function observeHttpRequest(
  method: string,
  route: string,
  status: number,
  seconds: number,
): void {
  const key = `${method} ${status} ${route}`;
  let child = durationChildren.get(key);
  if (!child) {
    child = httpRequestDuration.labels(method, route, String(status));
    durationChildren.set(key, child);
  }
  child.observe(seconds);
}
