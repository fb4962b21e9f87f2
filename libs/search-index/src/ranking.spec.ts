import {
  DEFAULT_RANKING_WEIGHTS,
  explainScore,
  rankingWeightsOf,
  signalFactors,
  signalProduct,
} from './ranking';

const neutral = {
  popularity: 0,
  salesVelocity: 0,
  rating: 0,
  ratingCount: 0,
  categoryPath: ['home', 'kitchen'],
  brand: 'Hearth',
};

describe('signalFactors', () => {
  it('is 1 for every factor of a product without signals or affinities', () => {
    expect(signalFactors(neutral, DEFAULT_RANKING_WEIGHTS)).toEqual({
      popularity: 1,
      salesVelocity: 1,
      rating: 1,
      affinity: 1,
    });
  });

  it('damps units sold and recent sales logarithmically', () => {
    const weights = { ...DEFAULT_RANKING_WEIGHTS, popularity: 1, salesVelocity: 1 };
    const factors = signalFactors(
      { ...neutral, popularity: Math.E - 1, salesVelocity: Math.E ** 2 - 1 },
      weights,
    );
    expect(factors.popularity).toBeCloseTo(2, 10);
    expect(factors.salesVelocity).toBeCloseTo(3, 10);
  });

  it('counts an average rating by how many ratings stand behind it', () => {
    const weights = { ...DEFAULT_RANKING_WEIGHTS, rating: 1, ratingPrior: 10 };
    const few = signalFactors({ ...neutral, rating: 5, ratingCount: 10 }, weights);
    const many = signalFactors({ ...neutral, rating: 5, ratingCount: 990 }, weights);
    expect(few.rating).toBeCloseTo(1.5, 10);
    expect(many.rating).toBeCloseTo(1.99, 10);
  });

  it('adds the best category affinity on the path to the brand affinity', () => {
    const factors = signalFactors(neutral, DEFAULT_RANKING_WEIGHTS, {
      categories: { home: 0.2, kitchen: 0.6, garden: 1 },
      brands: { Hearth: 0.4, Stride: 1 },
    });
    expect(factors.affinity).toBeCloseTo(1 + 0.5 * (0.6 + 0.4), 10);
  });
});

describe('explainScore', () => {
  it('multiplies text and every factor into the total', () => {
    const factors = { popularity: 1.5, salesVelocity: 1.2, rating: 1.1, affinity: 2 };
    expect(signalProduct(factors)).toBeCloseTo(3.96, 10);
    expect(explainScore(2, factors, false)).toEqual({
      text: 2,
      ...factors,
      inStock: false,
      total: 2 * signalProduct(factors),
    });
  });
});

describe('rankingWeightsOf', () => {
  it('takes the defaults for the weights a query leaves out', () => {
    expect(rankingWeightsOf({ weights: { rating: 0 } })).toEqual({
      ...DEFAULT_RANKING_WEIGHTS,
      rating: 0,
    });
    expect(rankingWeightsOf(undefined)).toEqual(DEFAULT_RANKING_WEIGHTS);
  });

  it('refuses a negative or non-finite weight', () => {
    expect(() => rankingWeightsOf({ weights: { affinity: -0.1 } })).toThrow(RangeError);
    expect(() => rankingWeightsOf({ weights: { popularity: Number.NaN } })).toThrow(RangeError);
  });
});
