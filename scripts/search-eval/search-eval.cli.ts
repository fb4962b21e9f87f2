/**
 * The search relevance evaluation (docs/search.md, "Evaluation"): every labelled query through
 * `GET /v1/search?q=…&limit=10` (region us), scored by NDCG@10, recall@10 and zero-result rate.
 *
 *   npm run search:eval                                  # embedded store (Orama), booted here
 *   npm run search:eval -- --url http://127.0.0.1:3000   # a running store, e.g. the stack (OpenSearch)
 *   options: --queries <file> (default scripts/search-eval/labelled-queries.json)
 *            --out <file> (default .data/search-eval/<embedded|url>.json)
 *
 * A measurement, not a test: it exits 0 whatever the scores, and 1 only when it could not
 * measure (the store did not answer, a query was refused).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { SearchProducts } from '@mercato/contracts';
import { startEmbeddedStore, type RunningStore } from '../../test/support/embedded-store';
import { judgmentsOf, parseQuerySet, type QuerySet } from './query-set';
import {
  describeWorst,
  scoreAnswer,
  summaryTable,
  targetsLine,
  worstQueries,
  type QueryResult,
  type SearchAnswer,
} from './report';
import { summariseByKind } from './metrics';
import {
  DEFAULT_QUERY_SET_PATH,
  DEFAULT_REPORT_DIR,
  EVAL_DEPTH,
  EVAL_REGION,
  TARGETS,
} from './search-eval.config';

interface Args {
  url?: string;
  queries: string;
  out?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { queries: DEFAULT_QUERY_SET_PATH };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === '--help' || name === '-h') {
      process.stdout.write(
        'usage: npm run search:eval -- [--url URL] [--queries FILE] [--out FILE]\n',
      );
      process.exit(0);
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--url') args.url = value.replace(/\/+$/, '');
    else if (name === '--queries') args.queries = value;
    else if (name === '--out') args.out = value;
    else throw new Error(`unknown argument ${name}`);
  }
  return args;
}

const say = (line: string) => process.stderr.write(`[search:eval] ${line}\n`);

const answerSchema = z.object({
  total: z.number().int().nonnegative(),
  hits: z.array(z.object({ productId: z.string(), title: z.string() })),
  didYouMean: z.string().nullable().optional(),
});

/** One search over HTTP as a shopper's client sends it; waits out a 429 (rate limit). */
async function search(baseUrl: string, q: string): Promise<SearchAnswer> {
  const url = `${baseUrl}/v1/search?q=${encodeURIComponent(q)}&limit=${EVAL_DEPTH}`;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, { headers: { 'x-region': EVAL_REGION } });
    if (response.status === 429 && attempt < 10) {
      const seconds = Number(response.headers.get('retry-after')) || 1;
      await new Promise((r) => setTimeout(r, seconds * 1000));
      continue;
    }
    const text = await response.text();
    if (response.status === 404 && text.includes('ROUTE_NOT_FOUND')) {
      throw new Error(`${baseUrl} has no GET /v1/search route (this build predates it)`);
    }
    if (!response.ok) throw new Error(`"${q}": ${response.status} ${text.slice(0, 300)}`);
    return answerSchema.parse(JSON.parse(text));
  }
}

/**
 * The embedded store with the query set's catalog, once its search index holds every product
 * (the index is backfilled in the background after start; asked over the store's own bus).
 */
async function bootEmbedded(set: QuerySet): Promise<RunningStore> {
  const { seed, products } = set.catalog;
  say(`booting the embedded store with ${products} demo products (seed ${seed})…`);
  const store = await startEmbeddedStore({
    MERCATO_SEED_PRODUCTS: String(products),
    MERCATO_SEED_RANDOM: String(seed),
    MERCATO_SEARCH: 'embedded',
    // Only errors: the store logs to stdout, where the results go.
    LOG_LEVEL: 'error',
  });
  const started = Date.now();
  for (;;) {
    const { total } = await store.bus.request(SearchProducts, { region: EVAL_REGION, limit: 1 });
    if (total >= products) break;
    if (Date.now() - started > 15 * 60_000) {
      await store.close();
      throw new Error(`the index holds ${total} of ${products} products after 15 minutes`);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  say(`index ready (${products} products) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return store;
}

/**
 * Warns when a running store does not hold the catalog the set was built for (another seed or
 * size): the judgments would not describe its products.
 */
async function checkCatalog(baseUrl: string, set: QuerySet): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/search?limit=1`, {
    headers: { 'x-region': EVAL_REGION },
  });
  const total = response.ok ? answerSchema.safeParse(await response.json()).data?.total : undefined;
  if (total !== set.catalog.products) {
    say(
      `WARNING: the store lists ${total ?? 'an unknown number of'} products without a query; the ` +
        `set was built for the ${set.catalog.products}-product demo catalog (seed ${set.catalog.seed})`,
    );
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const set = parseQuerySet(JSON.parse(readFileSync(resolve(args.queries), 'utf8')));
  const store = args.url ? undefined : await bootEmbedded(set);
  const baseUrl = args.url ?? store!.baseUrl;
  const engine = args.url ? `running store at ${args.url}` : 'embedded store (Orama)';
  try {
    if (args.url) await checkCatalog(args.url, set);
    const started = Date.now();
    const results: QueryResult[] = [];
    for (const query of set.queries) {
      results.push(scoreAnswer(query, judgmentsOf(set, query), await search(baseUrl, query.q)));
    }
    const seconds = (Date.now() - started) / 1000;
    const byId = new Map(set.queries.map((q) => [q.id, q]));
    const lines = [
      `Search evaluation: ${engine}, ${set.queries.length} queries, catalog seed ${set.catalog.seed} ` +
        `× ${set.catalog.products} products, region ${EVAL_REGION}, top ${EVAL_DEPTH} (${seconds.toFixed(1)} s)`,
      '',
      summaryTable(results),
      '',
      targetsLine(results),
      '',
      'Worst 10 queries:',
      describeWorst(worstQueries(results, 10), (id) => judgmentsOf(set, byId.get(id)!)),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    const out = resolve(
      args.out ?? join(DEFAULT_REPORT_DIR, `${args.url ? 'url' : 'embedded'}.json`),
    );
    mkdirSync(dirname(out), { recursive: true });
    const report = {
      engine,
      baseUrl: args.url ?? null,
      ranAt: new Date().toISOString(),
      querySet: { path: args.queries, queries: set.queries.length, catalog: set.catalog },
      region: EVAL_REGION,
      depth: EVAL_DEPTH,
      targets: TARGETS,
      summary: summariseByKind(results),
      queries: results,
    };
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    say(`report written to ${out}`);
  } finally {
    await store?.close();
  }
}

main().then(
  // The scores never fail the run; open handles of the store must not keep it alive either.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `[search:eval] could not measure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
