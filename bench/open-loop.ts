import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { atFixedRate, percentile } from './support';

/**
 * An open-loop HTTP client at a fixed rate (the wrk2 way): request i is due at i / rate, and
 * its latency counts from when it was due, so a stall anywhere — server, machine, this client —
 * is charged to every request it delayed instead of pausing the schedule (no coordinated
 * omission). It also reports its own event loop's lateness and whether the slow requests
 * cluster in time (a stall) or spread (a per-request cost).
 *
 * Why not autocannon's `overallRate`: at 300 req/s over 10 connections its p99 varied 4–17 ms
 * from round to round against a plain node:http server on an otherwise idle machine, where this
 * client, stricter by construction, read 0.9–3.7 ms (docs/performance.md, 2026-12-04 evening).
 */

export interface OpenLoopResult {
  errors: number;
  /** Achieved rate (answers per second over the run). */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** The client's own event loop: late by p99 / at most (ms). */
  clientLateP99: number;
  clientLateMax: number;
  /** Requests at or over max(p99, 5 ms), and the 100 ms windows they fell in (busiest first). */
  slow: number;
  slowWindows: { atSecond: number; count: number }[];
}

function get(agent: Agent, base: URL, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: base.hostname, port: base.port, path, agent, method: 'GET' },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function openLoop(
  baseUrl: string,
  paths: readonly string[],
  options: { rate: number; seconds: number; sockets: number },
): Promise<OpenLoopResult> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.sockets });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const shots: { dueAt: number; ms: number }[] = [];
  let errors = 0;
  const started = performance.now();
  loop.enable();
  await atFixedRate(options.rate, options.seconds, (i, dueAt) => {
    // Late: count from when it was due (the delay is charged). Early (a timer may fire a
    // fraction of a millisecond early): count from when it really went.
    const from = Math.min(dueAt, performance.now());
    return get(agent, base, paths[i % paths.length]).then(
      (status) => {
        if (status !== 200) errors++;
        shots.push({ dueAt: dueAt - started, ms: performance.now() - from });
      },
      () => void errors++,
    );
  });
  const elapsed = (performance.now() - started) / 1000;
  loop.disable();
  agent.destroy();
  const sorted = shots.map((s) => s.ms).sort((a, b) => a - b);
  const p99 = percentile(sorted, 0.99);
  const slow = shots.filter((s) => s.ms >= Math.max(p99, 5));
  const windows = new Map<number, number>();
  for (const s of slow) {
    const w = Math.floor(s.dueAt / 100);
    windows.set(w, (windows.get(w) ?? 0) + 1);
  }
  return {
    errors,
    rps: shots.length / elapsed,
    p50: percentile(sorted, 0.5),
    p99,
    max: sorted.at(-1) ?? NaN,
    clientLateP99: loop.percentile(99) / 1e6,
    clientLateMax: loop.max / 1e6,
    slow: slow.length,
    slowWindows: [...windows]
      .sort((a, b) => b[1] - a[1])
      .map(([w, count]) => ({ atSecond: w / 10, count })),
  };
}

/** One line for a table cell. */
export function describeOpenLoop(r: OpenLoopResult): string {
  const top = r.slowWindows
    .slice(0, 3)
    .map((w) => `${w.count} at ${w.atSecond.toFixed(1)} s`)
    .join(', ');
  return `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, achieved ${Math.round(r.rps)} req/s, errors ${r.errors}; ${r.slow} slow (≥ max(p99, 5 ms)) in ${r.slowWindows.length} windows of 100 ms${top ? ` (${top})` : ''}; client loop late p99 ${r.clientLateP99.toFixed(1)} / max ${r.clientLateMax.toFixed(1)} ms`;
}
