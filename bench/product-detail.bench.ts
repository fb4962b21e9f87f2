/**
 * Benchmark of GET /v1/products/{id} on the embedded store (npm start):
 *  1. saturation throughput, as a ratio to a raw node:http server serving the same JSON;
 *  2. latency p50/p99 at a fixed 200 req/s (open-loop client, and autocannon as before).
 * Servers run pinned to core 0, the load generator (this process) to core 1; 127.0.0.1 only.
 * Run: `npm run bench` (builds first). Prints a markdown table for docs/performance.md.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  errorsOf,
  load,
  machine,
  median,
  pinSelfToCore1,
  productIds,
  startPinned,
  waitReady,
  type LoadResult,
} from './support';
import { describeOpenLoop, openLoop } from './open-loop';

const STORE_PORT = 3900;
const RAW_PORT = 3901;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const IDS = 500;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mercato-bench-'));
  const store = await startPinned(
    [join(__dirname, '..', 'apps', 'store', 'src', 'main.js')],
    {
      PORT: String(STORE_PORT),
      HOST: '127.0.0.1',
      MERCATO_DATA_DIR: dataDir,
      MERCATO_STORAGE: 'memory',
      LOG_LEVEL: 'warn',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    false,
  );
  try {
    const storeUrl = `http://127.0.0.1:${STORE_PORT}`;
    await waitReady(`${storeUrl}/health/ready`);
    const ids = await productIds(storeUrl, IDS);
    const bodies: Record<string, unknown> = {};
    for (const id of ids) bodies[id] = await (await fetch(`${storeUrl}/v1/products/${id}`)).json();
    const productsFile = join(dataDir, 'products.json');
    writeFileSync(productsFile, JSON.stringify(bodies));
    const bytes = JSON.stringify(bodies[ids[0]]).length;

    const raw = await startPinned(
      [join(__dirname, 'raw-product-server.js'), productsFile, String(RAW_PORT)],
      {},
      true,
    );
    try {
      const paths = ids.map((id) => `/v1/products/${id}`);
      const rawUrl = `http://127.0.0.1:${RAW_PORT}`;
      await load(storeUrl, paths, { seconds: 3, connections: CONNECTIONS }); // warm-up
      await load(rawUrl, paths, { seconds: 3, connections: CONNECTIONS });
      const storeRuns: LoadResult[] = [];
      const rawRuns: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        rawRuns.push(await load(rawUrl, paths, { seconds: SECONDS, connections: CONNECTIONS }));
        storeRuns.push(await load(storeUrl, paths, { seconds: SECONDS, connections: CONNECTIONS }));
        process.stderr.write(
          `round ${round + 1}/${ROUNDS}: raw ${Math.round(rawRuns[round].rps)} req/s, store ${Math.round(storeRuns[round].rps)} req/s\n`,
        );
      }
      const fixed = await load(storeUrl, paths, { seconds: 20, rate: 200, connections: 10 });
      // The measure of record for a fixed-rate tail (bench/open-loop.ts): autocannon's p99 at a
      // fixed rate varies 4–17 ms even against the raw server.
      const openLoopFixed = await openLoop(storeUrl, paths, {
        rate: 200,
        seconds: 20,
        sockets: 10,
      });
      const rawRps = median(rawRuns.map((r) => r.rps));
      const storeRps = median(storeRuns.map((r) => r.rps));
      const lines = [
        `Machine: ${machine()}`,
        `Command: npm run bench (rounds ${ROUNDS} × ${SECONDS} s, ${CONNECTIONS} connections, ${ids.length} product ids, ~${bytes} B body)`,
        '',
        '| server (core 0) | req/s (median) | ratio to raw | p99 ms at saturation | errors |',
        '| --- | ---: | ---: | ---: | ---: |',
        `| raw node:http, JSON.stringify per request | ${Math.round(rawRps)} | 1.00 | ${median(rawRuns.map((r) => r.p99))} | ${errorsOf(rawRuns)} |`,
        `| embedded store, GET /v1/products/{id} | ${Math.round(storeRps)} | ${(storeRps / rawRps).toFixed(2)} | ${median(storeRuns.map((r) => r.p99))} | ${errorsOf(storeRuns)} |`,
        '',
        `Fixed rate 200 req/s for 20 s, open-loop client (10 sockets): ${describeOpenLoop(openLoopFixed)}`,
        `Fixed rate 200 req/s for 20 s, autocannon (10 connections): p50 ${fixed.p50} ms, p99 ${fixed.p99} ms, achieved ${Math.round(fixed.rps)} req/s, errors ${fixed.errors + fixed.non2xx}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      raw.kill('SIGTERM');
    }
  } finally {
    store.kill('SIGTERM');
  }
}

if (pinSelfToCore1(__filename)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
