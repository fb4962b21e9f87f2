import { EVENT_LOOP_TICK_MS } from '@mercato/observability';

/**
 * An app's own view of a benchmark window, from its /metrics: how late its event loop ran, its
 * GC pauses by kind, and how many of the measured handlers took over 5 ms. A client-side tail
 * none of these show is outside the app.
 */

/** Every sample of a Prometheus text exposition, by `name{labels}`. */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/i.exec(line);
    if (match) found.set(match[1], Number(match[2]));
  }
  return found;
}

export interface HandlerMetric {
  /** A histogram with a 5 ms bucket (`le="0.005"`), e.g. `mercato_bus_handler_seconds`. */
  histogram: string;
  /** Which of its series count, by their label text. */
  labels: (labels: string) => boolean;
}

export interface AppView {
  /** One line for a log or a table cell. */
  summary: string;
  /** Handlers of the measured histogram that ran in the window, and their mean time. */
  handled: number;
  handlerMeanMs: number;
}

/** Runs `run` between two scrapes of `appUrl`/metrics; answers its result and the app's view. */
export async function appView<T>(
  appUrl: string,
  handlers: HandlerMetric,
  run: () => Promise<T>,
): Promise<[T, AppView]> {
  const scrape = async () => samples(await (await fetch(`${appUrl}/metrics`)).text());
  const sum = (at: Map<string, number>, test: (key: string) => boolean) =>
    [...at].reduce((total, [key, value]) => (test(key) ? total + value : total), 0);
  // The loop's histogram restarts at each scrape, so the scrape before `run` opens the window.
  const before = await scrape();
  const result = await run();
  const after = await scrape();
  const delta = (test: (key: string) => boolean) => sum(after, test) - sum(before, test);
  // The loop's monitor ticks every EVENT_LOOP_TICK_MS and records each tick's interval: lateness is
  // the interval minus the tick.
  const late = (key: string) => ((after.get(key) ?? NaN) * 1000 - EVENT_LOOP_TICK_MS).toFixed(1);
  const gc = (kind: string) => {
    const count = delta((k) => k === `nodejs_gc_duration_seconds_count{kind="${kind}"}`);
    const total = delta((k) => k === `nodejs_gc_duration_seconds_sum{kind="${kind}"}`);
    const over10 =
      count -
      delta(
        (k) =>
          k.startsWith('nodejs_gc_duration_seconds_bucket{') &&
          k.includes('le="0.01"') &&
          k.includes(`kind="${kind}"`),
      );
    return `${kind} ${count} (${(total * 1000).toFixed(0)} ms, ${over10} over 10 ms)`;
  };
  const series = (suffix: string) => (k: string) =>
    k.startsWith(`${handlers.histogram}_${suffix}`) && handlers.labels(k);
  const handled = delta(series('count'));
  const slow = handled - delta((k) => series('bucket')(k) && k.includes('le="0.005"'));
  return [
    result,
    {
      summary: `event loop late by p99 ${late('nodejs_eventloop_lag_p99_seconds')} ms, max ${late('nodejs_eventloop_lag_max_seconds')} ms; GC ${['minor', 'major', 'incremental'].map(gc).join(', ')}; handled ${handled}, ${slow} over 5 ms`,
      handled,
      handlerMeanMs: handled > 0 ? (1000 * delta(series('sum'))) / handled : NaN,
    },
  ];
}
