import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { ENGINE_NAMES, readEndpoints, startEngines } from '../scripts/infra/engines';
import { startStack, type RunningStack, type StackOptions } from '../scripts/stack/stack';
import { isolatedStackEnv, removeStackData } from '../scripts/stack/stack-data';

/** Shared pieces of the benchmarks: pinned processes, the load generator, figures. */

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const benchStarted = performance.now();

/** A progress line on stderr, stamped with seconds since the benchmark started (to line phases up with app logs). */
export const say = (line: string): void => {
  process.stderr.write(
    `[bench +${((performance.now() - benchStarted) / 1000).toFixed(1)}s] ${line}\n`,
  );
};

export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The `q` quantile (0–1) of values sorted ascending; NaN when there are none. */
export const percentile = (sorted: readonly number[], q: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;

/**
 * Calls `send(i, dueAt)` for i = 0 … rate × seconds − 1, each at its slot of a fixed schedule
 * (an open loop: a slow answer does not delay the next send), and resolves when every call has
 * settled. `dueAt` is the slot's time on `performance.now()`'s clock.
 */
export async function atFixedRate(
  rate: number,
  seconds: number,
  send: (i: number, dueAt: number) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const dueAt = started + (i * 1000) / rate;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(i, dueAt));
  }
  await Promise.allSettled(inFlight);
}

export const machine = (): string =>
  `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

/** Re-runs this script pinned to core 1 (the load generator's core); returns false in the parent. */
export function pinSelfToCore1(script: string): boolean {
  if (process.env.BENCH_PINNED === '1') return true;
  const child = spawn('taskset', ['-c', '1', process.execPath, script], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  child.on('exit', (code) => process.exit(code ?? 1));
  return false;
}

/** Starts a Node server on core 0; resolves when it says 'ready' over IPC, or at once if told not to wait. */
export function startPinned(
  args: string[],
  env: NodeJS.ProcessEnv,
  waitForIpc: boolean,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '0', process.execPath, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const timer = setTimeout(
      () => reject(new Error(`${args[0]} did not start within 180 s`)),
      180_000,
    );
    const done = () => {
      clearTimeout(timer);
      resolve(child);
    };
    child.on('message', (m) => m === 'ready' && done());
    if (!waitForIpc) done();
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on(
      'exit',
      (code) => code !== null && code !== 0 && reject(new Error(`${args[0]} exited with ${code}`)),
    );
  });
}

export async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 720; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} never became ready`);
}

/** autocannon against `baseUrl`, cycling through `paths`; `rate` fixes the overall request rate. */
export function load(
  baseUrl: string,
  paths: string[],
  options: {
    seconds: number;
    rate?: number;
    connections: number;
    headers?: Record<string, string>;
  },
): Promise<LoadResult> {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: baseUrl,
        connections: options.connections,
        duration: options.seconds,
        overallRate: options.rate,
        headers: options.headers,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
        });
      },
    );
  });
}

/** Product ids of the running store, newest first, through the public API. */
export async function productIds(baseUrl: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query = `limit=100&sort=newest${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await (await fetch(`${baseUrl}/v1/products?${query}`)).json()) as {
      items: { productId: string }[];
      nextCursor: string | null;
    };
    ids.push(...page.items.map((p) => p.productId));
    cursor = page.nextCursor;
  } while (ids.length < count && cursor);
  return ids.slice(0, count);
}

export const errorsOf = (runs: LoadResult[]): number =>
  runs.reduce((sum, r) => sum + r.errors + r.non2xx, 0);

/** Every core of the machine, as taskset spells it: `0,1`. */
export const everyCore = (): string =>
  cpus()
    .map((_, i) => i)
    .join(',');

/**
 * Moves processes (every thread: `taskset -a`) to `cores`; answers how to let them run on every
 * core again.
 */
export function confineTo(cores: string, pids: readonly number[]): () => void {
  const every = everyCore();
  const move = (to: string) => {
    for (const pid of pids)
      spawnSync('taskset', ['-a', '-pc', to, String(pid)], { stdio: 'ignore' });
  };
  move(cores);
  return () => move(every);
}

/**
 * The seven-process stack a benchmark measures: tables, topics and cache keys of its own
 * (`prefix`), `products` seeded in memory, logs under a fresh temporary folder (`dataDir`).
 */
export async function startBenchStack(options: {
  endpoints: Record<string, string>;
  prefix: string;
  products: number;
  portOffset: number;
  pin?: StackOptions['pin'];
  env?: Record<string, string>;
  log: (line: string) => void;
}): Promise<{ stack: RunningStack; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), `mercato-${options.prefix}`));
  const stack = await startStack({
    endpoints: options.endpoints,
    portOffset: options.portOffset,
    logDir: join(dataDir, 'logs'),
    pin: options.pin,
    env: {
      ...isolatedStackEnv(options.prefix),
      MERCATO_SEED_PRODUCTS: String(options.products),
      MERCATO_DATA_DIR: dataDir,
      MERCATO_STORAGE: 'memory',
      MERCATO_CACHE: 'redis',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    log: options.log,
  });
  return { stack, dataDir };
}

/**
 * Starts the engines a stack needs (all but OpenSearch) and a bench stack of its own (prefix,
 * `products` seeded), runs `measure` on it, and stops it and removes its data whatever happens.
 */
export async function withBenchStack<T>(
  options: { products: number; portOffset: number; env?: Record<string, string> },
  measure: (stack: RunningStack, endpoints: Record<string, string>, prefix: string) => Promise<T>,
): Promise<T> {
  await startEngines(
    ENGINE_NAMES.filter((e) => e !== 'opensearch'),
    say,
  );
  const endpoints = readEndpoints();
  const prefix = `bench${randomBytes(3).toString('hex')}-`;
  say(`seven-process stack, ${options.products} products…`);
  const { stack } = await startBenchStack({ endpoints, prefix, log: say, ...options });
  try {
    return await measure(stack, endpoints, prefix);
  } finally {
    await stack.stop();
    await removeStackData(endpoints, prefix);
  }
}
