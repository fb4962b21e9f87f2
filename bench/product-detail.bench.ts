/**
 * Benchmark of GET /v1/products/{id} on the embedded store (issue 2):
 *  1. saturation throughput, as a ratio to a raw node:http server serving the same JSON;
 *  2. latency p50/p99 at a fixed 200 req/s.
 * Servers run pinned to core 0, the load generator (this process) to core 1; 127.0.0.1 only.
 * Run: `npm run bench` (builds first). Prints a markdown table for docs/performance.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const STORE_PORT = 3900;
const RAW_PORT = 3901;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const IDS = 500;

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function pinnedToCore1(): boolean {
  return process.env.BENCH_PINNED === '1';
}

/** Starts a Node server on core 0; resolves when it says 'ready' over IPC, or at once if told not to wait. */
function startPinned(args: string[], env: NodeJS.ProcessEnv, waitForIpc: boolean): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '0', process.execPath, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start within 180 s`)), 180_000);
    const done = () => {
      clearTimeout(timer);
      resolve(child);
    };
    child.on('message', (m) => m === 'ready' && done());
    if (!waitForIpc) done();
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('exit', (code) => code !== null && code !== 0 && reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} never became ready`);
}

function load(baseUrl: string, paths: string[], options: { seconds: number; rate?: number; connections: number }): Promise<LoadResult> {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: baseUrl,
        connections: options.connections,
        duration: options.seconds,
        overallRate: options.rate,
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  if (!pinnedToCore1()) {
    const child = spawn('taskset', ['-c', '1', process.execPath, __filename], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_PINNED: '1' },
    });
    child.on('exit', (code) => process.exit(code ?? 1));
    return;
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'mercato-bench-'));
  const store = await startPinned([join(__dirname, '..', 'apps', 'store', 'src', 'main.js')], {
    PORT: String(STORE_PORT),
    HOST: '127.0.0.1',
    MERCATO_DATA_DIR: dataDir,
    MERCATO_STORAGE: 'memory',
    LOG_LEVEL: 'warn',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  }, false);
  try {
    await waitReady(`http://127.0.0.1:${STORE_PORT}/health/ready`);
    const page = (await (await fetch(`http://127.0.0.1:${STORE_PORT}/v1/products?limit=100&sort=newest`)).json()) as {
      items: { productId: string }[];
      nextCursor: string | null;
    };
    const ids: string[] = page.items.map((p) => p.productId);
    let cursor = page.nextCursor;
    while (ids.length < IDS && cursor) {
      const more = (await (
        await fetch(`http://127.0.0.1:${STORE_PORT}/v1/products?limit=100&sort=newest&cursor=${encodeURIComponent(cursor)}`)
      ).json()) as typeof page;
      ids.push(...more.items.map((p) => p.productId));
      cursor = more.nextCursor;
    }
    const bodies: Record<string, unknown> = {};
    for (const id of ids) bodies[id] = await (await fetch(`http://127.0.0.1:${STORE_PORT}/v1/products/${id}`)).json();
    const productsFile = join(dataDir, 'products.json');
    writeFileSync(productsFile, JSON.stringify(bodies));
    const bytes = Math.round(JSON.stringify(bodies[ids[0]]).length);

    const raw = await startPinned([join(__dirname, 'raw-product-server.js'), productsFile, String(RAW_PORT)], {}, true);
    try {
      const paths = ids.map((id) => `/v1/products/${id}`);
      const storeUrl = `http://127.0.0.1:${STORE_PORT}`;
      const rawUrl = `http://127.0.0.1:${RAW_PORT}`;
      await load(storeUrl, paths, { seconds: 3, connections: CONNECTIONS }); // warm-up
      await load(rawUrl, paths, { seconds: 3, connections: CONNECTIONS });
      const storeRuns: LoadResult[] = [];
      const rawRuns: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        rawRuns.push(await load(rawUrl, paths, { seconds: SECONDS, connections: CONNECTIONS }));
        storeRuns.push(await load(storeUrl, paths, { seconds: SECONDS, connections: CONNECTIONS }));
        process.stderr.write(`round ${round + 1}/${ROUNDS}: raw ${Math.round(rawRuns[round].rps)} req/s, store ${Math.round(storeRuns[round].rps)} req/s\n`);
      }
      const fixed = await load(storeUrl, paths, { seconds: 20, rate: 200, connections: 10 });
      const rawRps = median(rawRuns.map((r) => r.rps));
      const storeRps = median(storeRuns.map((r) => r.rps));
      const lines = [
        `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
        `Command: npm run bench (rounds ${ROUNDS} × ${SECONDS} s, ${CONNECTIONS} connections, ${ids.length} product ids, ~${bytes} B body)`,
        '',
        '| server (core 0) | req/s (median) | ratio to raw | p99 ms at saturation | errors |',
        '| --- | ---: | ---: | ---: | ---: |',
        `| raw node:http, JSON.stringify per request | ${Math.round(rawRps)} | 1.00 | ${median(rawRuns.map((r) => r.p99))} | ${rawRuns.reduce((a, r) => a + r.errors + r.non2xx, 0)} |`,
        `| Mercato embedded store, GET /v1/products/{id} | ${Math.round(storeRps)} | ${(storeRps / rawRps).toFixed(2)} | ${median(storeRuns.map((r) => r.p99))} | ${storeRuns.reduce((a, r) => a + r.errors + r.non2xx, 0)} |`,
        '',
        `Fixed rate 200 req/s for 20 s (10 connections): p50 ${fixed.p50} ms, p99 ${fixed.p99} ms, achieved ${Math.round(fixed.rps)} req/s, errors ${fixed.errors + fixed.non2xx}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      raw.kill('SIGTERM');
    }
  } finally {
    store.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
