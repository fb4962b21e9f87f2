import { register } from 'prom-client';
import { LatencyHistogram, type LatencyRecorder } from './hot-path-metrics';

const HTTP_DURATION_METRIC = 'mercato_http_request_duration_seconds';

/** HTTP latency by route pattern and status; the route pattern keeps label cardinality bounded. */
export const httpRequestDuration =
  (register.getSingleMetric(HTTP_DURATION_METRIC) as LatencyHistogram<string> | undefined) ??
  new LatencyHistogram(
    HTTP_DURATION_METRIC,
    'HTTP request latency by method, route pattern and status code',
    ['method', 'route', 'status'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );

const recorders = new Map<string, LatencyRecorder>();

/**
 * Records one request's latency. The recorder of each (method, route, status) is looked up once
 * and kept (docs/performance.md: metrics with pre-created label sets); routes are patterns, so the
 * map stays small. Paths that know their labels in advance hold a recorder themselves
 * (`httpLatencyRecorder`) and skip even this lookup.
 */
export function observeHttpRequest(
  method: string,
  route: string,
  status: number,
  seconds: number,
): void {
  const key = `${method} ${status} ${route}`;
  let recorder = recorders.get(key);
  if (!recorder) {
    recorder = httpLatencyRecorder(method, route, status);
    recorders.set(key, recorder);
  }
  recorder.observe(seconds);
}

/** The latency recorder of one route and status, for a hot path to keep. */
export function httpLatencyRecorder(
  method: string,
  route: string,
  status: number,
): LatencyRecorder {
  return httpRequestDuration.recorder({ method, route, status: String(status) });
}
