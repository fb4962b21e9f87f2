/**
 * Offline relevance metrics of the search evaluation (docs/search.md, "Evaluation"). Pure: a
 * ranked list of product ids and the graded judgments of the query in, a number out.
 */

/** Grades of a judged product: 3 the product asked for, 2 clearly relevant, 1 acceptable. */
export type Grade = 1 | 2 | 3;

/** Grade per product id; a product not in the map is not relevant (grade 0). */
export type Judgments = ReadonlyMap<string, Grade>;

/**
 * The grade from which a product counts as relevant for recall. Grade 1 ("acceptable", e.g. a
 * laptop without the 16 GB asked for) still earns NDCG gain, but a result list made only of
 * acceptable products has not found what the shopper asked for.
 */
export const RELEVANT_FROM: Grade = 2;

const gain = (grade: number): number => 2 ** grade - 1;
/** Position 1 is undiscounted, position i is divided by log2(i + 1). */
const discount = (position: number): number => 1 / Math.log2(position + 1);

/** Discounted cumulative gain of grades in ranked order (2^grade − 1, log2 discount). */
export function dcg(grades: readonly number[]): number {
  return grades.reduce((sum, grade, i) => sum + gain(grade) * discount(i + 1), 0);
}

/**
 * NDCG@k: the DCG of the top k returned, over the DCG of the best possible top k drawn from the
 * judgments (not from what the engine returned, so a short result list is penalised). A query
 * without judgments scores 0: there is nothing to find, so it is a mistake in the set.
 */
export function ndcgAt(k: number, ranked: readonly string[], judgments: Judgments): number {
  const ideal = dcg([...judgments.values()].sort((a, b) => b - a).slice(0, k));
  if (ideal === 0) return 0;
  return dcg(ranked.slice(0, k).map((id) => judgments.get(id) ?? 0)) / ideal;
}

/**
 * Recall@k: relevant products (grade ≥ RELEVANT_FROM) in the top k over min(k, relevant), so a
 * query with 200 relevant products can still score 1. A repeated id counts once.
 */
export function recallAt(k: number, ranked: readonly string[], judgments: Judgments): number {
  const relevant = [...judgments.values()].filter((grade) => grade >= RELEVANT_FROM).length;
  if (relevant === 0) return 0;
  const found = new Set(
    ranked.slice(0, k).filter((id) => (judgments.get(id) ?? 0) >= RELEVANT_FROM),
  ).size;
  return found / Math.min(k, relevant);
}

/** One query's outcome: its kind, what it scored, and whether it found anything at all. */
export interface QueryScore {
  kind: string;
  ndcg: number;
  recall: number;
  /** Total matches the engine reported (not just the page). */
  total: number;
}

export interface Summary {
  queries: number;
  ndcg: number;
  recall: number;
  /** Share of queries that found nothing (total 0). */
  zeroResultRate: number;
}

const mean = (values: readonly number[]): number =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

/** Share of the queries with no result at all; 0 for no queries. */
export function zeroResultRate(scores: readonly Pick<QueryScore, 'total'>[]): number {
  return scores.length === 0 ? 0 : scores.filter((s) => s.total === 0).length / scores.length;
}

/** Mean NDCG, mean recall and the zero-result rate of a set of queries. */
export function summarise(scores: readonly QueryScore[]): Summary {
  return {
    queries: scores.length,
    ndcg: mean(scores.map((s) => s.ndcg)),
    recall: mean(scores.map((s) => s.recall)),
    zeroResultRate: zeroResultRate(scores),
  };
}

/** The summary of each kind (in order of first appearance) and of all queries together. */
export function summariseByKind(scores: readonly QueryScore[]): {
  byKind: Record<string, Summary>;
  overall: Summary;
} {
  const kinds = [...new Set(scores.map((s) => s.kind))];
  return {
    byKind: Object.fromEntries(
      kinds.map((kind) => [kind, summarise(scores.filter((s) => s.kind === kind))]),
    ),
    overall: summarise(scores),
  };
}
