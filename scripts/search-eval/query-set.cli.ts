/**
 * Rebuilds the labelled query set of the search evaluation from the demo catalog:
 *
 *   npm run search:eval:queries [-- --products 5000 --seed 42 --out scripts/search-eval/labelled-queries.json]
 *
 * Deterministic: the same catalog gives the same file, so a diff shows what a change of the
 * builder, its tables or the catalog generator did to the labels.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { generateCatalog } from '@mercato/demo-data';
import type { QuerySet } from './query-set';
import { buildQuerySet } from './query-set.builder';
import { DEFAULT_QUERY_SET_PATH, EVAL_CATALOG } from './search-eval.config';

function parseArgs(argv: string[]): { products: number; seed: number; out: string } {
  const args: { products: number; seed: number; out: string } = {
    ...EVAL_CATALOG,
    out: DEFAULT_QUERY_SET_PATH,
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--products' || name === '--seed') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number`);
      args[name === '--products' ? 'products' : 'seed'] = n;
    } else if (name === '--out') args.out = value;
    else throw new Error(`unknown argument ${name}`);
  }
  return args;
}

/** One judged product a line, so the file reads (and diffs) as a list. */
async function serialise(set: QuerySet, path: string): Promise<string> {
  const json = JSON.stringify(set, null, 2).replace(
    /\{\n\s+"id": (".*?"),\n\s+"grade": (\d),\n\s+"title": (".*?")\n\s+\}/g,
    '{ "id": $1, "grade": $2, "title": $3 }',
  );
  return format(json, { ...(await resolveConfig(path)), filepath: path });
}

async function main(): Promise<void> {
  const { products, seed, out } = parseArgs(process.argv.slice(2));
  const set = buildQuerySet([...generateCatalog({ seed, products })], seed);
  const path = resolve(out);
  writeFileSync(path, await serialise(set, path));
  const judged = set.queries.reduce((n, q) => n + (q.judgments?.length ?? 0), 0);
  process.stdout.write(`${set.queries.length} queries, ${judged} judgments → ${path}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
