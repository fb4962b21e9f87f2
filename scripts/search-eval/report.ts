/**
 * Scoring one search answer against its judgments, and the printed parts of an evaluation run:
 * the table per kind, the line against the targets, the worst queries. Pure.
 */
import {
  ndcgAt,
  recallAt,
  summariseByKind,
  type Grade,
  type QueryScore,
  type Summary,
} from './metrics';
import type { JudgedProduct, LabelledQuery } from './query-set';
import { EVAL_DEPTH, TARGETS } from './search-eval.config';

/** The part of a `GET /v1/search` answer the evaluation reads. */
export interface SearchAnswer {
  total: number;
  hits: readonly { productId: string; title: string }[];
  didYouMean?: string | null;
}

export interface QueryResult extends QueryScore {
  id: string;
  q: string;
  didYouMean: string | null;
  /** The top results as returned, each with its grade (0: not judged relevant). */
  returned: { id: string; title: string; grade: Grade | 0 }[];
}

/** Scores the top `EVAL_DEPTH` hits of one answer. */
export function scoreAnswer(
  query: LabelledQuery,
  judgments: readonly JudgedProduct[],
  answer: SearchAnswer,
): QueryResult {
  const grades = new Map(judgments.map((j) => [j.id, j.grade]));
  const top = answer.hits.slice(0, EVAL_DEPTH);
  const ranked = top.map((h) => h.productId);
  return {
    id: query.id,
    kind: query.kind,
    q: query.q,
    ndcg: ndcgAt(EVAL_DEPTH, ranked, grades),
    recall: recallAt(EVAL_DEPTH, ranked, grades),
    total: answer.total,
    didYouMean: answer.didYouMean ?? null,
    returned: top.map((h) => ({
      id: h.productId,
      title: h.title,
      grade: grades.get(h.productId) ?? 0,
    })),
  };
}

const fixed = (n: number) => n.toFixed(3);
const percent = (n: number) => `${(n * 100).toFixed(1)}%`;

/** A markdown table: one row per kind, then all queries. */
export function summaryTable(results: readonly QueryResult[]): string {
  const { byKind, overall } = summariseByKind(results);
  const row = (name: string, s: Summary) =>
    `| ${name} | ${s.queries} | ${fixed(s.ndcg)} | ${fixed(s.recall)} | ${percent(s.zeroResultRate)} |`;
  return [
    `| kind | queries | NDCG@${EVAL_DEPTH} | recall@${EVAL_DEPTH} | zero-result rate |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(byKind).map(([kind, s]) => row(kind, s)),
    row('**all**', overall),
  ].join('\n');
}

/** One line: the overall figures against issue 19's targets, each met or missed. */
export function targetsLine(results: readonly QueryResult[]): string {
  const { overall } = summariseByKind(results);
  const ndcgMet = overall.ndcg >= TARGETS.ndcg;
  const zeroMet = overall.zeroResultRate <= TARGETS.zeroResultRate;
  return (
    `Targets: NDCG@${EVAL_DEPTH} ${fixed(overall.ndcg)} ${ndcgMet ? '≥' : '<'} ${TARGETS.ndcg} ` +
    `(${ndcgMet ? 'met' : 'MISSED'}), zero-result rate ${percent(overall.zeroResultRate)} ` +
    `${zeroMet ? '≤' : '>'} ${percent(TARGETS.zeroResultRate)} (${zeroMet ? 'met' : 'MISSED'})`
  );
}

/** The `count` lowest NDCG, then lowest recall, then by id (so a rerun lists the same ones). */
export function worstQueries(results: readonly QueryResult[], count: number): QueryResult[] {
  return [...results]
    .sort((a, b) => a.ndcg - b.ndcg || a.recall - b.recall || a.id.localeCompare(b.id))
    .slice(0, count);
}

/**
 * The worst queries, each with what a shopper wanted first (its best judged products) and what
 * came back (with grades), so a reader sees why it scored low.
 */
export function describeWorst(
  worst: readonly QueryResult[],
  judgmentsOf: (id: string) => readonly JudgedProduct[],
  shown = 5,
): string {
  return worst
    .map((r) => {
      const wanted = judgmentsOf(r.id);
      const best = wanted.filter((j) => j.grade === wanted[0]?.grade);
      const lines = [
        `${r.id} (${r.kind}) "${r.q}": NDCG ${fixed(r.ndcg)}, recall ${fixed(r.recall)}, ` +
          `${r.total} found${r.didYouMean ? `, did you mean "${r.didYouMean}"` : ''}`,
        `  wanted (grade ${best[0]?.grade ?? '-'}, ${best.length} products): ${best
          .slice(0, 3)
          .map((j) => j.title)
          .join('; ')}${best.length > 3 ? '; …' : ''}`,
        r.returned.length === 0
          ? '  got: nothing'
          : `  got: ${r.returned
              .slice(0, shown)
              .map((h) => `[${h.grade}] ${h.title}`)
              .join('; ')}`,
      ];
      return lines.join('\n');
    })
    .join('\n');
}
