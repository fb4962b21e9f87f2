import type { JudgedProduct, LabelledQuery } from './query-set';
import {
  describeWorst,
  scoreAnswer,
  summaryTable,
  targetsLine,
  worstQueries,
  type QueryResult,
} from './report';

const query = (id: string, kind: LabelledQuery['kind'], q: string): LabelledQuery => ({
  id,
  kind,
  q,
  why: '',
});
const judgments: JudgedProduct[] = [
  { id: 'p-1', grade: 3, title: 'Voltix Pro Laptop X5' },
  { id: 'p-2', grade: 1, title: 'Voltix Pro Laptop Q7' },
];
const hit = (productId: string) => ({ productId, title: `title of ${productId}` });
const result = (
  id: string,
  kind: string,
  ndcg: number,
  recall: number,
  total = 5,
): QueryResult => ({
  id,
  kind,
  q: id,
  ndcg,
  recall,
  total,
  didYouMean: null,
  returned: [],
});

describe('scoreAnswer', () => {
  it('scores the top 10 hits against the judgments and keeps what came back with grades', () => {
    const scored = scoreAnswer(
      query('exact-title-01', 'exact-title', 'Voltix Pro Laptop X5'),
      judgments,
      {
        total: 42,
        hits: [hit('p-1'), hit('p-9'), hit('p-2')],
        didYouMean: null,
      },
    );
    expect(scored).toMatchObject({
      id: 'exact-title-01',
      kind: 'exact-title',
      recall: 1,
      total: 42,
      didYouMean: null,
    });
    expect(scored.ndcg).toBeCloseTo((7 + 1 / 2) / (7 + 1 / Math.log2(3)), 10);
    expect(scored.returned.map((r) => r.grade)).toEqual([3, 0, 1]);
  });

  it('looks no further than the first 10 hits', () => {
    const late = [...Array.from({ length: 10 }, (_, i) => hit(`x-${i}`)), hit('p-1')];
    const scored = scoreAnswer(query('q', 'partial', 'q'), judgments, { total: 11, hits: late });
    expect(scored.ndcg).toBe(0);
    expect(scored.returned).toHaveLength(10);
  });

  it('scores an empty answer 0 and records that it found nothing', () => {
    const scored = scoreAnswer(query('q', 'misspelling', 'lpatop'), judgments, {
      total: 0,
      hits: [],
      didYouMean: 'laptop',
    });
    expect(scored).toMatchObject({ ndcg: 0, recall: 0, total: 0, didYouMean: 'laptop' });
  });
});

describe('summaryTable', () => {
  it('has a row per kind in order of appearance and one for all queries', () => {
    const table = summaryTable([
      result('a', 'brand', 1, 1),
      result('b', 'spec', 0.5, 0.5, 0),
      result('c', 'brand', 0.5, 0),
    ]);
    expect(table.split('\n').slice(2)).toEqual([
      '| brand | 2 | 0.750 | 0.500 | 0.0% |',
      '| spec | 1 | 0.500 | 0.500 | 100.0% |',
      '| **all** | 3 | 0.667 | 0.500 | 33.3% |',
    ]);
  });
});

describe('targetsLine', () => {
  it('says each target is met when NDCG@10 reaches 0.85 and at most 2% find nothing', () => {
    const results = Array.from({ length: 50 }, (_, i) => result(`q${i}`, 'brand', 0.9, 1, i));
    expect(targetsLine(results)).toBe(
      'Targets: NDCG@10 0.900 ≥ 0.85 (met), zero-result rate 2.0% ≤ 2.0% (met)',
    );
  });

  it('says which target is missed', () => {
    const results = [result('a', 'brand', 0.9, 1, 0), result('b', 'brand', 0.7, 1, 3)];
    expect(targetsLine(results)).toBe(
      'Targets: NDCG@10 0.800 < 0.85 (MISSED), zero-result rate 50.0% > 2.0% (MISSED)',
    );
  });
});

describe('worstQueries', () => {
  it('lists the lowest NDCG first, then the lowest recall, then by id', () => {
    const worst = worstQueries(
      [
        result('d', 'brand', 0.9, 1),
        result('c', 'brand', 0.2, 0.5),
        result('b', 'brand', 0.2, 0.1),
        result('a', 'brand', 0.2, 0.1),
      ],
      3,
    );
    expect(worst.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('describeWorst', () => {
  it('shows what the shopper wanted first and what came back, with grades', () => {
    const scored = scoreAnswer(query('spec-01', 'spec', '16gb laptop'), judgments, {
      total: 2,
      hits: [hit('p-9'), hit('p-2')],
    });
    expect(describeWorst([scored], () => judgments)).toBe(
      [
        `spec-01 (spec) "16gb laptop": NDCG ${scored.ndcg.toFixed(3)}, recall 0.000, 2 found`,
        '  wanted (grade 3, 1 products): Voltix Pro Laptop X5',
        '  got: [0] title of p-9; [1] title of p-2',
      ].join('\n'),
    );
  });

  it('says when nothing came back', () => {
    const scored = scoreAnswer(query('q', 'brand', 'x'), judgments, { total: 0, hits: [] });
    expect(describeWorst([scored], () => judgments)).toContain('  got: nothing');
  });
});
