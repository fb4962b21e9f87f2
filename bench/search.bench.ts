/**
 * Search benchmark (issue 19): `GET /v1/search` with its three facets, and `GET /v1/search/suggest`,
 * over the query mix of bench/search-queries.ts (one- and two-word queries from the demo
 * catalog's titles, brands and categories, about half with a filter, a fifth sorted by price;
 * suggest prefixes of 2–6 letters). Two modes:
 *
 *  - `npm run bench:search` — the embedded store (`npm start` build, BENCH_PRODUCTS products,
 *    default 5,000, in memory) pinned to core 0, this process on core 1. It waits until search
 *    has indexed the whole catalog (the total of an unfiltered search), then runs autocannon
 *    (closed loop, 50 connections) in interleaved rounds after a warm-up: the raw node:http
 *    reference (bench/raw-product-server.ts, product JSON), search, suggest. Prints median req/s
 *    and p50/p99 beside Vendure 3.7's search with facets measured on this machine (45 req/s,
 *    p99 3.9 s). Target: search with facets ≥ 900 req/s (20 × Vendure).
 *
 *  - `npm run bench:search -- --url http://127.0.0.1:3000` — a running `npm run stack`: open-loop
 *    at BENCH_RATE req/s (default 100; bench/open-loop.ts) for search, suggest and the raw
 *    reference, after a warm-up, in interleaved rounds. Targets on a 100,000-product catalog:
 *    search p99 < 50 ms, suggest p99 < 15 ms. `--products N` waits until search holds N
 *    products first (otherwise the bench measures whatever the index holds, and says so). Not
 *    pinned: the stack's processes use both cores.
 *
 *    A stack with 100,000 products: the apps seed the demo catalog on first start, but a
 *    100,000-product seed (5,000 take ~24 s) outlasts the stack's 180 s readiness wait, so load
 *    it into the engines' dynalite first, then start the apps (they keep a seeded catalog, and
 *    search backfills its empty index from it):
 *
 *      npm run engines -- start
 *      set -a; . .data/engines/endpoints.env; set +a    # DYNAMODB_ENDPOINT of the engines
 *      npm run seed -- --products 100000                 # minutes; the stack's default tables
 *      MERCATO_SEED_PRODUCTS=100000 npm run stack
 *      npm run bench:search -- --url http://127.0.0.1:3000 --products 100000
 *
 *    (`npm run stack` reuses the running engines and leaves them up at Ctrl-C; `npm run engines
 *    -- stop` stops them.) Search backfills only an empty index: if this OpenSearch already holds
 *    a smaller catalog's index, delete it before starting the stack
 *    (`curl -X DELETE "$OPENSEARCH_URL/mercato-products"`, SEARCH_INDEX_PREFIX + `products`).
 *    The backfill of 100,000 products takes minutes: `--products` waits for it, up to
 *    BENCH_INDEX_TIMEOUT_S (default 900).
 *
 * `--print-mix` prints the query mix (paths, one a line) and exits. Benchmarks print figures;
 * they assert nothing about timing. Prints markdown for docs/performance.md.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeOpenLoop, openLoop, type OpenLoopResult } from './open-loop';
import { BENCH_FACETS, queryMix, type QueryMix } from './search-queries';
import {
  errorsOf,
  load,
  machine,
  median,
  pinSelfToCore1,
  productIds,
  say,
  startPinned,
  waitReady,
  type LoadResult,
} from './support';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    products: { type: 'string' },
    'print-mix': { type: 'boolean', default: false },
  },
});
const expected = args.products === undefined ? undefined : Number(args.products);
if (expected !== undefined && !(Number.isInteger(expected) && expected > 0))
  throw new Error(`--products needs a whole number (got "${args.products}")`);

const STORE_PORT = 3940;
const RAW_PORT = 3941;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Seconds per measured run; open loop at 100 req/s: 20 s make its p99 the 20th slowest answer. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? (args.url ? 20 : 10));
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 5_000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const INDEX_TIMEOUT_S = Number(process.env.BENCH_INDEX_TIMEOUT_S ?? 900);
const CONNECTIONS = 50;
/**
 * Paths in rotation. Fewer are distinct (~3,500 searches, ~800 prefixes): popular queries
 * repeat, as in a shop, but not so few that a result cache would answer all of them.
 */
const SEARCHES = 5_000;
const SUGGESTS = 2_000;
const RAW_IDS = 500;

/** Vendure 3.7's search with facets on this machine: the must-show's yardstick. */
const VENDURE = { rps: 45, p99Ms: 3_900 };
/** Issue 19's targets. */
const TARGET = { searchRps: 20 * VENDURE.rps, searchP99Ms: 50, suggestP99Ms: 15 };

/** Products the search index holds in the default region: the total of an unfiltered search. */
async function indexedTotal(baseUrl: string): Promise<{ status: number; total?: number }> {
  const response = await fetch(`${baseUrl}/v1/search?limit=1`);
  if (!response.ok) return { status: response.status };
  return { status: response.status, total: ((await response.json()) as { total: number }).total };
}

/** Waits until search has indexed `products`; answers how long that took. */
async function waitUntilIndexed(baseUrl: string, products: number): Promise<number> {
  const started = performance.now();
  let last: { status: number; total?: number } = { status: 0 };
  let reported = started;
  while (performance.now() - started < INDEX_TIMEOUT_S * 1000) {
    last = await indexedTotal(baseUrl).catch(() => ({ status: 0 }));
    if ((last.total ?? 0) >= products) return (performance.now() - started) / 1000;
    if (performance.now() - reported > 10_000) {
      say(`search holds ${last.total ?? `nothing yet (HTTP ${last.status})`} of ${products}…`);
      reported = performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(
    `search did not index ${products} products within ${INDEX_TIMEOUT_S} s (BENCH_INDEX_TIMEOUT_S): ` +
      `GET /v1/search answered ${last.status}${last.total === undefined ? '' : `, total ${last.total}`}`,
  );
}

/**
 * Sends the first paths of the mix once each and says what they found. Any answer but 200 stops
 * the benchmark: a mix the routes refuse would measure refusals. A search answer without all
 * three facets is counted, not fatal (the figures would then not be "with facets": read the line).
 */
async function checkMix(baseUrl: string, mix: QueryMix, sample = 100): Promise<string> {
  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`GET ${path} answered ${response.status}: ${body}`);
    return JSON.parse(body) as Record<string, unknown>;
  };
  let empty = 0;
  let withoutFacets = 0;
  for (const path of mix.searches.slice(0, sample)) {
    const body = (await get(path)) as { total: number; facets?: Record<string, unknown[]> };
    if (body.total === 0) empty++;
    if (!BENCH_FACETS.split(',').every((f) => Array.isArray(body.facets?.[f]))) withoutFacets++;
  }
  let noSuggestions = 0;
  for (const path of mix.suggests.slice(0, sample)) {
    const body = (await get(path)) as { suggestions: unknown[] };
    if (body.suggestions.length === 0) noSuggestions++;
  }
  return (
    `of the mix's first ${sample} searches, ${empty} found nothing and ${withoutFacets} came ` +
    `back without all three facets; ${noSuggestions} of ${sample} prefixes had no suggestion`
  );
}

/**
 * The raw node:http reference (bench/raw-product-server.ts) on core 0, serving the store's own
 * JSON of RAW_IDS products; answers it and its paths.
 */
async function startRawReference(
  baseUrl: string,
): Promise<{ raw: ChildProcess; url: string; paths: string[] }> {
  const ids = await productIds(baseUrl, RAW_IDS);
  const bodies: Record<string, unknown> = {};
  for (const id of ids) bodies[id] = await (await fetch(`${baseUrl}/v1/products/${id}`)).json();
  const productsFile = join(mkdtempSync(join(tmpdir(), 'mercato-bench-search-')), 'products.json');
  writeFileSync(productsFile, JSON.stringify(bodies));
  const raw = await startPinned(
    [join(__dirname, 'raw-product-server.js'), productsFile, String(RAW_PORT)],
    {},
    true,
  );
  return {
    raw,
    url: `http://127.0.0.1:${RAW_PORT}`,
    paths: ids.map((id) => `/v1/products/${id}`),
  };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const verdict = (met: boolean) => (met ? '**met**' : '**missed**');
const errorsIn = (runs: OpenLoopResult[]): number => runs.reduce((sum, r) => sum + r.errors, 0);

async function embedded(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mercato-bench-search-'));
  say(`embedded store, ${PRODUCTS} products, on core 0…`);
  const store = await startPinned(
    [join(__dirname, '..', 'apps', 'store', 'src', 'main.js')],
    {
      PORT: String(STORE_PORT),
      HOST: '127.0.0.1',
      MERCATO_DATA_DIR: dataDir,
      MERCATO_STORAGE: 'memory',
      MERCATO_SEED_PRODUCTS: String(PRODUCTS),
      LOG_LEVEL: 'warn',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    false,
  );
  try {
    const storeUrl = `http://127.0.0.1:${STORE_PORT}`;
    await waitReady(`${storeUrl}/health/ready`);
    const indexSeconds = await waitUntilIndexed(storeUrl, PRODUCTS);
    say(`search holds the ${PRODUCTS} products (${indexSeconds.toFixed(1)} s after ready)`);
    const mix = queryMix({ products: PRODUCTS, searches: SEARCHES, suggests: SUGGESTS });
    const mixCheck = await checkMix(storeUrl, mix);
    say(mixCheck);

    const { raw, url: rawUrl, paths: rawPaths } = await startRawReference(storeUrl);
    try {
      const run = (url: string, paths: string[], seconds = SECONDS) =>
        load(url, paths, { seconds, connections: CONNECTIONS });
      await run(rawUrl, rawPaths, 3); // warm-up
      await run(storeUrl, mix.searches, 5);
      await run(storeUrl, mix.suggests, 3);
      const runs: Record<'raw' | 'search' | 'suggest', LoadResult[]> = {
        raw: [],
        search: [],
        suggest: [],
      };
      for (let round = 0; round < ROUNDS; round++) {
        runs.raw.push(await run(rawUrl, rawPaths));
        runs.search.push(await run(storeUrl, mix.searches));
        runs.suggest.push(await run(storeUrl, mix.suggests));
        say(
          `round ${round + 1}/${ROUNDS}: raw ${Math.round(runs.raw[round].rps)}, search ` +
            `${Math.round(runs.search[round].rps)}, suggest ${Math.round(runs.suggest[round].rps)} req/s`,
        );
      }
      const rps = (which: keyof typeof runs) => median(runs[which].map((r) => r.rps));
      const row = (label: string, which: keyof typeof runs, vendure: string) =>
        `| ${label} | ${Math.round(rps(which))} | ${(rps(which) / rps('raw')).toFixed(2)} | ${vendure} | ` +
        `${median(runs[which].map((r) => r.p50))} | ${median(runs[which].map((r) => r.p99))} | ${errorsOf(runs[which])} |`;
      const searchRps = rps('search');
      const lines = [
        `Machine: ${machine()}`,
        `Command: npm run bench:search (embedded store, ${PRODUCTS} products, indexed ${indexSeconds.toFixed(1)} s after ready; ` +
          `${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections; ${new Set(mix.searches).size} distinct searches, ` +
          `${new Set(mix.suggests).size} distinct prefixes)`,
        `Mix check: ${mixCheck}`,
        '',
        '| server (core 0) | req/s (median) | ratio to raw | × Vendure 3.7 | p50 ms | p99 ms | errors |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        row('raw node:http, product JSON (reference)', 'raw', '—'),
        row(
          'embedded store, `GET /v1/search` with 3 facets',
          'search',
          `${(searchRps / VENDURE.rps).toFixed(1)}×`,
        ),
        row('embedded store, `GET /v1/search/suggest`', 'suggest', '—'),
        `| Vendure 3.7 search with facets (measured earlier on this machine) | ${VENDURE.rps} | — | 1.0× | — | ${VENDURE.p99Ms} | — |`,
        '',
        `Target: search with facets ≥ ${TARGET.searchRps} req/s (20 × Vendure 3.7): ` +
          `${Math.round(searchRps)} req/s, ${(searchRps / VENDURE.rps).toFixed(1)}× Vendure — ${verdict(searchRps >= TARGET.searchRps && errorsOf(runs.search) === 0)}.`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      raw.kill('SIGTERM');
    }
  } finally {
    store.kill('SIGTERM');
  }
}

async function stack(url: string, products: number | undefined): Promise<void> {
  const baseUrl = url.replace(/\/$/, '');
  await waitReady(`${baseUrl}/health/ready`);
  if (products !== undefined) {
    const seconds = await waitUntilIndexed(baseUrl, products);
    say(`search holds ${products} products (waited ${seconds.toFixed(1)} s)`);
  }
  const indexed = (await indexedTotal(baseUrl)).total;
  if (indexed === undefined) throw new Error(`GET ${baseUrl}/v1/search?limit=1 did not answer 200`);
  if (indexed < 100_000)
    say(
      `search holds ${indexed} products; the must-show asks for 100,000 (see this file's header)`,
    );
  const mix = queryMix({
    products: products ?? indexed,
    searches: SEARCHES,
    suggests: SUGGESTS,
  });
  const mixCheck = await checkMix(baseUrl, mix);
  say(mixCheck);
  const { raw, url: rawUrl, paths: rawPaths } = await startRawReference(baseUrl);
  try {
    // Sockets enough that a slow answer does not hold back the next one (the open loop charges
    // any wait from the due time anyway).
    const atRate = (target: string, paths: string[], seconds = SECONDS) =>
      openLoop(target, paths, { rate: RATE, seconds, sockets: 32 });
    await atRate(baseUrl, mix.searches, 5); // warm-up, not counted
    await atRate(baseUrl, mix.suggests, 5);
    await atRate(rawUrl, rawPaths, 3);
    const runs: Record<'search' | 'suggest' | 'raw', OpenLoopResult[]> = {
      search: [],
      suggest: [],
      raw: [],
    };
    // Each round walks on through the mix, so no round repeats the previous one's queries.
    const from = (paths: string[], round: number) => {
      const start = (round * RATE * SECONDS) % paths.length;
      return [...paths.slice(start), ...paths.slice(0, start)];
    };
    for (let round = 0; round < ROUNDS; round++) {
      runs.search.push(await atRate(baseUrl, from(mix.searches, round)));
      runs.suggest.push(await atRate(baseUrl, from(mix.suggests, round)));
      runs.raw.push(await atRate(rawUrl, rawPaths));
      for (const which of ['search', 'suggest', 'raw'] as const)
        say(`round ${round + 1}/${ROUNDS} ${which}: ${describeOpenLoop(runs[which][round])}`);
    }
    const worstP99 = (which: keyof typeof runs) => Math.max(...runs[which].map((r) => r.p99));
    const row = (label: string, which: keyof typeof runs, target: string) =>
      runs[which].map(
        (r, i) =>
          `| ${label}, round ${i + 1} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${Math.round(r.rps)} | ${r.errors} | ${target} |`,
      );
    const lines = [
      `Machine: ${machine()}`,
      `Command: npm run bench:search -- --url ${baseUrl} (stack; search holds ${indexed} products; ` +
        `open loop at ${RATE} req/s, ${ROUNDS} rounds × ${SECONDS} s after a warm-up; ` +
        `${new Set(mix.searches).size} distinct searches with 3 facets, ${new Set(mix.suggests).size} distinct prefixes)`,
      `Mix check: ${mixCheck}`,
      '',
      `| run at ${RATE} req/s | p50 ms | p99 ms | max ms | achieved req/s | errors | target |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
      ...row('`GET /v1/search` with 3 facets', 'search', `p99 < ${TARGET.searchP99Ms} ms`),
      ...row('`GET /v1/search/suggest`', 'suggest', `p99 < ${TARGET.suggestP99Ms} ms`),
      ...row('raw node:http, product JSON (the machine)', 'raw', '—'),
      '',
      `Targets (worst round): search p99 ${ms(worstP99('search'))} ms < ${TARGET.searchP99Ms} ms — ` +
        `${verdict(worstP99('search') < TARGET.searchP99Ms && errorsIn(runs.search) === 0)}; ` +
        `suggest p99 ${ms(worstP99('suggest'))} ms < ${TARGET.suggestP99Ms} ms — ` +
        `${verdict(worstP99('suggest') < TARGET.suggestP99Ms && errorsIn(runs.suggest) === 0)}` +
        (indexed < 100_000 ? ` (on ${indexed} products, not the must-show's 100,000)` : '') +
        '.',
      ...(['search', 'suggest', 'raw'] as const).flatMap((which) =>
        runs[which].map((r, i) => `- ${which}, round ${i + 1}: ${describeOpenLoop(r)}`),
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    raw.kill('SIGTERM');
  }
}

/** `--print-mix`: the query mix as paths, one a line, and nothing else (to read or to replay). */
function printMix(products: number): void {
  const mix = queryMix({ products, searches: SEARCHES, suggests: SUGGESTS });
  process.stdout.write(`${[...mix.searches, ...mix.suggests].join('\n')}\n`);
}

const done = (run: Promise<void>) =>
  run.then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );

if (args['print-mix']) printMix(expected ?? PRODUCTS);
// The embedded store is measured from core 1 (pinSelfToCore1 re-runs this file there, without
// arguments); a stack already spreads its processes over both cores, so its client is not pinned.
else if (args.url) void done(stack(args.url, expected));
else if (pinSelfToCore1(__filename)) void done(embedded());
