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
