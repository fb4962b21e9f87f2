import {
  dcg,
  ndcgAt,
  recallAt,
  summarise,
  summariseByKind,
  zeroResultRate,
  type Grade,
  type QueryScore,
} from './metrics';

const judged = (grades: Record<string, Grade>) => new Map(Object.entries(grades));
const ids = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

describe('dcg', () => {
  it('gains 2^grade − 1 at the first position and discounts position i by log2(i + 1)', () => {
    expect(dcg([3])).toBe(7);
    expect(dcg([0, 3])).toBeCloseTo(7 / Math.log2(3), 10);
    expect(dcg([2, 0, 1])).toBeCloseTo(3 + 1 / 2, 10);
  });

  it('is zero for nothing relevant', () => {
    expect(dcg([])).toBe(0);
    expect(dcg([0, 0, 0])).toBe(0);
  });
});

describe('ndcgAt', () => {
  const judgments = judged({ a: 3, b: 2, c: 1 });

  it('is 1 when the results are in the ideal order', () => {
    expect(ndcgAt(10, ['a', 'b', 'c', 'x'], judgments)).toBe(1);
  });

  it('is 1 whatever the order among products of the same grade', () => {
    const many = judged(Object.fromEntries(ids('p', 30).map((id) => [id, 2 as Grade])));
    expect(ndcgAt(10, ids('p', 30).reverse(), many)).toBeCloseTo(1, 10);
  });

  it('scores a reversed list below 1 by the standard formula', () => {
    const ideal = 7 + 3 / Math.log2(3) + 1 / 2;
    const reversed = 1 + 3 / Math.log2(3) + 7 / 2;
    expect(ndcgAt(10, ['c', 'b', 'a'], judgments)).toBeCloseTo(reversed / ideal, 10);
  });

  it('takes the ideal from the judgments, so a short list that misses products is penalised', () => {
    expect(ndcgAt(10, ['a'], judgments)).toBeCloseTo(7 / (7 + 3 / Math.log2(3) + 1 / 2), 10);
  });

  it('ignores what comes after position k', () => {
    const late = [...ids('x', 10), 'a'];
    expect(ndcgAt(10, late, judgments)).toBe(0);
    expect(ndcgAt(11, late, judgments)).toBeGreaterThan(0);
  });

  it('compares against the best k judged products only', () => {
    const twelve = judged(Object.fromEntries(ids('p', 12).map((id) => [id, 3 as Grade])));
    expect(ndcgAt(10, ids('p', 10), twelve)).toBeCloseTo(1, 10);
  });

  it('is 0 for no results and for a query without judgments', () => {
    expect(ndcgAt(10, [], judgments)).toBe(0);
    expect(ndcgAt(10, ['a'], judged({}))).toBe(0);
  });
});

describe('recallAt', () => {
  it('counts relevant products found in the top k over the relevant ones', () => {
    const judgments = judged({ a: 3, b: 2, c: 2, d: 2 });
    expect(recallAt(10, ['a', 'x', 'c'], judgments)).toBe(2 / 4);
  });

  it('divides by k when more than k products are relevant', () => {
    const many = judged(Object.fromEntries(ids('p', 40).map((id) => [id, 2 as Grade])));
    expect(recallAt(10, ids('p', 10), many)).toBe(1);
    expect(recallAt(10, [...ids('p', 5), ...ids('x', 5)], many)).toBe(0.5);
  });

  it('does not count acceptable products (grade 1) as relevant', () => {
    const judgments = judged({ a: 3, b: 1, c: 1 });
    expect(recallAt(10, ['b', 'c'], judgments)).toBe(0);
    expect(recallAt(10, ['b', 'a'], judgments)).toBe(1);
  });

  it('counts a product returned twice once', () => {
    expect(recallAt(10, ['a', 'a'], judged({ a: 3, b: 3 }))).toBe(0.5);
  });

  it('ignores what comes after position k', () => {
    expect(recallAt(10, [...ids('x', 10), 'a'], judged({ a: 3 }))).toBe(0);
  });
});

describe('zeroResultRate', () => {
  it('is the share of queries that found nothing', () => {
    expect(zeroResultRate([{ total: 0 }, { total: 3 }, { total: 12 }, { total: 0 }])).toBe(0.5);
  });

  it('is 0 without queries', () => {
    expect(zeroResultRate([])).toBe(0);
  });
});

describe('summarise', () => {
  const scores: QueryScore[] = [
    { kind: 'brand', ndcg: 1, recall: 1, total: 40 },
    { kind: 'misspelling', ndcg: 0, recall: 0, total: 0 },
    { kind: 'brand', ndcg: 0.5, recall: 0.25, total: 7 },
    { kind: 'misspelling', ndcg: 0.7, recall: 1, total: 2 },
  ];

  it('averages NDCG and recall over the queries', () => {
    expect(summarise(scores)).toEqual({
      queries: 4,
      ndcg: (1 + 0 + 0.5 + 0.7) / 4,
      recall: (1 + 0 + 0.25 + 1) / 4,
      zeroResultRate: 0.25,
    });
  });

  it('summarises each kind on its own, in order of first appearance, and all together', () => {
    const { byKind, overall } = summariseByKind(scores);
    expect(Object.keys(byKind)).toEqual(['brand', 'misspelling']);
    expect(byKind.brand).toEqual({ queries: 2, ndcg: 0.75, recall: 0.625, zeroResultRate: 0 });
    expect(byKind.misspelling).toEqual({
      queries: 2,
      ndcg: 0.35,
      recall: 0.5,
      zeroResultRate: 0.5,
    });
    expect(overall).toEqual(summarise(scores));
  });
});
