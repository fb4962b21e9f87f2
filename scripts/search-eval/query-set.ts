/**
 * The labelled query set of the search evaluation: its shape, and reading it back from its file
 * (built by query-set.builder.ts; docs/search.md, "Evaluation", says how each kind is labelled).
 */
import { z } from 'zod';
import { RELEVANT_FROM, type Grade } from './metrics';

export const QUERY_KINDS = [
  'exact-title',
  'partial',
  'brand',
  'category',
  'spec',
  'synonym',
  'multi-word',
  'misspelling',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface JudgedProduct {
  id: string;
  grade: Grade;
  title: string;
}

export interface LabelledQuery {
  id: string;
  kind: QueryKind;
  q: string;
  /** Why these products and grades: the rule applied, in words. */
  why: string;
  /** Best grade first, then by product id. */
  judgments?: JudgedProduct[];
  /** Instead of `judgments`: judged as this other query (a misspelling as its correct spelling). */
  judgedAs?: string;
}

export interface QuerySet {
  about: string;
  catalog: { seed: number; products: number };
  grades: Record<'3' | '2' | '1', string>;
  queries: LabelledQuery[];
}

export const GRADES: QuerySet['grades'] = {
  '3': 'the product (or one of the products) the query asks for',
  '2': 'clearly relevant: what a broad query (a brand, a category) asks for',
  '1': 'acceptable: the right kind of product, missing one detail the query names',
};

const judgedProductSchema = z.object({
  id: z.string().min(1),
  grade: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  title: z.string(),
});
const querySetSchema = z.object({
  about: z.string(),
  catalog: z.object({ seed: z.number().int(), products: z.number().int().positive() }),
  grades: z.object({ '3': z.string(), '2': z.string(), '1': z.string() }),
  queries: z
    .array(
      z.object({
        id: z.string().min(1),
        kind: z.enum(QUERY_KINDS),
        q: z.string().min(1),
        why: z.string(),
        judgments: z.array(judgedProductSchema).optional(),
        judgedAs: z.string().min(1).optional(),
      }),
    )
    .min(1),
});

/**
 * A query set read from its file, checked: every query judged once (its own judgments or
 * another query's, which has its own), with a product it must find, and ids unique.
 */
export function parseQuerySet(json: unknown): QuerySet {
  const set = querySetSchema.parse(json);
  const byId = new Map(set.queries.map((q) => [q.id, q]));
  if (byId.size !== set.queries.length) throw new Error('query ids are not unique');
  for (const query of set.queries) {
    const judged = query.judgedAs ? byId.get(query.judgedAs) : query;
    if ((query.judgments === undefined) === (query.judgedAs === undefined) || !judged?.judgments) {
      throw new Error(`${query.id}: needs either judgments or judgedAs (a query with judgments)`);
    }
    if (!judged.judgments.some((j) => j.grade >= RELEVANT_FROM)) {
      throw new Error(`${query.id}: no product of grade ${RELEVANT_FROM} or more`);
    }
  }
  return set;
}

/** The judgments of `query` in `set`, its own or those of the query it is judged as. */
export function judgmentsOf(set: QuerySet, query: LabelledQuery): readonly JudgedProduct[] {
  const judged = query.judgedAs ? set.queries.find((q) => q.id === query.judgedAs) : query;
  if (!judged?.judgments) throw new Error(`${query.id}: no judgments`);
  return judged.judgments;
}
