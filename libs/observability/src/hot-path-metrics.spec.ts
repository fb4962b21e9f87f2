import { Counter, Histogram, Registry, register } from 'prom-client';
import { LatencyHistogram, TallyCounter } from './hot-path-metrics';

const BOUNDS = [0.001, 0.01, 0.1, 1];

describe('LatencyHistogram', () => {
  afterEach(() => register.clear());

  it('writes the same /metrics lines as a prom-client Histogram fed the same observations', async () => {
    const fast = new LatencyHistogram('t_latency_seconds', 'latency', ['route', 'status'], BOUNDS);
    const reference = new Registry();
    const slow = new Histogram({
      name: 't_latency_seconds',
      help: 'latency',
      labelNames: ['route', 'status'] as const,
      buckets: BOUNDS,
      registers: [reference],
    });
    const observations: [string, string, number][] = [
      ['/a', '200', 0.0004],
      ['/a', '200', 0.001],
      ['/a', '200', 0.05],
      ['/a', '500', 3],
      ['/b', '200', 0.2],
    ];
    for (const [route, status, seconds] of observations) {
      fast.recorder({ route, status }).observe(seconds);
      slow.observe({ route, status }, seconds);
    }

    expect(await register.getSingleMetricAsString('t_latency_seconds')).toBe(
      await reference.getSingleMetricAsString('t_latency_seconds'),
    );
    // Exemplars (null here: none are recorded) are the one field the fast histogram leaves out.
    const [expected] = await reference.getMetricsAsJSON();
    expected.values = expected.values.map(({ exemplar: _none, ...line }: any) => line);
    expect((await register.getMetricsAsJSON())[0]).toEqual(expected);
  });

  it('gives one recorder per label set, whatever the order of the labels', () => {
    const histogram = new LatencyHistogram('t_once_seconds', 'once', ['a', 'b'], BOUNDS);
    expect(histogram.recorder({ a: '1', b: '2' })).toBe(histogram.recorder({ b: '2', a: '1' }));
    expect(histogram.recorder({ a: '1', b: '3' })).not.toBe(histogram.recorder({ a: '1', b: '2' }));
  });

  it('counts a value above the last bound only in +Inf, the sum and the count', async () => {
    const histogram = new LatencyHistogram('t_inf_seconds', 'inf', ['a'], BOUNDS);
    histogram.recorder({ a: 'x' }).observe(5);
    const text = await register.getSingleMetricAsString('t_inf_seconds');
    expect(text).toContain('t_inf_seconds_bucket{le="1",a="x"} 0');
    expect(text).toContain('t_inf_seconds_bucket{le="+Inf",a="x"} 1');
    expect(text).toContain('t_inf_seconds_sum{a="x"} 5');
    expect(text).toContain('t_inf_seconds_count{a="x"} 1');
  });
});

describe('TallyCounter', () => {
  afterEach(() => register.clear());

  it('shows every increment of a tally whenever the counter is read, and never counts one twice', async () => {
    const counter = new TallyCounter({ name: 't_hits_total', help: 'hits', labelNames: ['layer'] });
    const local = counter.tally({ layer: 'local' });
    local.inc();
    local.inc(2);
    counter.counter.inc({ layer: 'shared' });

    const reading = async () =>
      Object.fromEntries(
        (await counter.counter.get()).values.map((v) => [String(v.labels.layer), v.value]),
      );
    expect(await reading()).toEqual({ local: 3, shared: 1 });
    expect(await reading()).toEqual({ local: 3, shared: 1 });
    local.inc();
    expect(await register.getSingleMetricAsString('t_hits_total')).toContain(
      't_hits_total{layer="local"} 4',
    );
  });

  it('is a prom-client Counter in the default registry', () => {
    const counter = new TallyCounter({ name: 't_kind_total', help: 'kind', labelNames: ['x'] });
    expect(counter.counter).toBeInstanceOf(Counter);
    expect(register.getSingleMetric('t_kind_total')).toBe(counter.counter);
  });
});
