/**
 * Text features of the search index on OpenSearch at catalog scale (issue 19): indexes
 * `BENCH_PRODUCTS` demo products (default 100,000) into a fresh index at `OPENSEARCH_URL`
 * (default the harness's http://127.0.0.1:9200), then times suggest, typo-tolerant search and
 * spelling correction one request at a time (closed loop, after a warm-up round) and prints
 * p50/p95/p99 for docs/search.md. The index is dropped at the end. Target: suggest p99 < 15 ms.
 * Run: `npm run build && OPENSEARCH_URL=… node dist/bench/search-text.bench.js`.
 */
import { randomBytes } from 'node:crypto';
import { demoSearchDocument, generateCatalog } from '@mercato/demo-data';
import {
  OpenSearchProductIndex,
  silentSearchLogger,
  type ProductDocument,
} from '@mercato/search-index';
import { machine, percentile, say } from './support';

const URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

const PREFIXES = [
  'la',
  'lapt',
  'latp',
  'sm',
  'head',
  'voltix pro l',
  'wireless ear',
  'sofa',
  'nordic so',
  'espr',
];
const TYPO_QUERIES = [
  'laptpo',
  'headphnes',
  'espreso machine',
  'wireles earbuds',
  'sofs',
  'tv',
  'smart tv',
  'nordic sofa',
];

async function main(): Promise<void> {
  const index = new OpenSearchProductIndex({
    url: URL,
    prefix: `mercato-bench-${randomBytes(4).toString('hex')}-`,
    logger: silentSearchLogger,
    requestTimeoutMs: 60_000,
  });
  await index.ensureIndex();
  try {
    say(`indexing ${PRODUCTS} demo products into ${index.indexName} at ${URL}`);
    const started = performance.now();
    let batch: ProductDocument[] = [];
    for (const product of generateCatalog({ seed: 42, products: PRODUCTS })) {
      batch.push(demoSearchDocument(product));
      if (batch.length === 5_000) {
        await indexed(index, batch);
        batch = [];
      }
    }
    await indexed(index, batch);
    await index.refresh();
    say(`indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const rows = [
      await timed('suggest (limit 10)', PREFIXES, (prefix) =>
        index.suggest({ prefix, region: 'us', limit: 10 }),
      ),
      await timed('search, typo tolerant (limit 20)', TYPO_QUERIES, (text) =>
        index.search({ text, region: 'us', limit: 20, offset: 0 }),
      ),
      await timed('spelling correction', TYPO_QUERIES, (text) => index.spellingCorrection(text)),
    ];
    console.log(`\n${PRODUCTS.toLocaleString('en')} products, ${machine()}\n`);
    console.log('| request | n | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|');
    for (const row of rows) console.log(row);
  } finally {
    await index.drop();
    await index.close();
  }
}

async function indexed(index: OpenSearchProductIndex, docs: ProductDocument[]): Promise<void> {
  const failures = await index.upsertMany(docs);
  if (failures.length > 0) throw new Error(`refused: ${JSON.stringify(failures.slice(0, 3))}`);
}

/** One markdown row: `run` over every input, ROUNDS times after a warm-up round. */
async function timed(
  name: string,
  inputs: string[],
  run: (input: string) => Promise<unknown>,
): Promise<string> {
  for (const input of inputs) await run(input);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const input of inputs) {
      const started = performance.now();
      await run(input);
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  const ms = (q: number) => percentile(times, q).toFixed(1);
  return `| ${name} | ${times.length} | ${ms(0.5)} | ${ms(0.95)} | ${ms(0.99)} |`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
