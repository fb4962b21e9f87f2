import { register } from 'prom-client';
import { collectProcessMetrics } from './process-metrics';

describe('collectProcessMetrics', () => {
  it('adds event-loop delay and GC pauses to /metrics, once however often it is called', async () => {
    collectProcessMetrics();
    collectProcessMetrics(); // a second app in the same process (embedded store)

    const text = await register.metrics();
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(text).toContain('nodejs_gc_duration_seconds');
    expect(text.match(/^# TYPE nodejs_eventloop_lag_p99_seconds /gm)).toHaveLength(1);
  });
});
