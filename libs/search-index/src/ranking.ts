import type { Region, ScoreExplanation } from '@mercato/contracts';
import type { ProductDocument, RankingOptions } from './product-index';

/**
 * How much each business signal can lift a product's score under the `relevance` sort. Every
 * factor is 1 + weight × signal, so a weight of 0 turns a signal off and no factor can push a
 * score below its text relevance.
 */
export interface RankingWeights {
  /** Per unit of ln(1 + units sold): 1,000 units sold ≈ ×1.69 at 0.1. */
  popularity: number;
  /** Per unit of ln(1 + units per day): 10 a day ≈ ×1.48 at 0.2. */
  salesVelocity: number;
  /** At most this much more for a 5-star average with many more ratings than `ratingPrior`. */
  rating: number;
  /** Ratings a product needs for its average to count half: 2 ratings of 5 count less than 200. */
  ratingPrior: number;
  /** Per unit of (category affinity + brand affinity), each in [0, 1]: at most ×2 at 0.5. */
  affinity: number;
}

/**
 * Chosen so text still leads when a query has words: the largest lift of all signals together
 * for a realistic product (1,000 sold, 10 a day, 4.5 stars from 200, no affinity) is about ×3.5,
 * while BM25 scores of a title match and a description match differ by more than that with the
 * field weights of `TEXT_FIELD_WEIGHTS`.
 */
export const DEFAULT_RANKING_WEIGHTS: Readonly<RankingWeights> = Object.freeze({
  popularity: 0.1,
  salesVelocity: 0.2,
  rating: 0.5,
  ratingPrior: 10,
  affinity: 0.5,
});

/** The query's weights over the defaults; throws a RangeError for a negative or non-finite one. */
export function rankingWeightsOf(ranking: RankingOptions | undefined): RankingWeights {
  const weights = { ...DEFAULT_RANKING_WEIGHTS, ...ranking?.weights };
  for (const [name, value] of Object.entries(weights)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`ranking weight ${name} ${value} is not a number >= 0`);
    }
  }
  return weights;
}

/** Checks the affinities of a query: each in [0, 1]. */
export function checkAffinities(ranking: RankingOptions | undefined): void {
  for (const [kind, values] of Object.entries(ranking?.affinities ?? {})) {
    for (const [key, value] of Object.entries(values ?? {})) {
      if (!Number.isFinite(value) || value < 0 || value > 1) {
        throw new RangeError(`affinity of ${kind} "${key}" ${value} is not in [0, 1]`);
      }
    }
  }
}

/** The business multipliers of a document: every one ≥ 1, 1 when the signal is absent. */
export interface SignalFactors {
  popularity: number;
  salesVelocity: number;
  rating: number;
  affinity: number;
}

export function signalFactors(
  doc: Pick<
    ProductDocument,
    'popularity' | 'salesVelocity' | 'rating' | 'ratingCount' | 'categoryPath' | 'brand'
  >,
  weights: RankingWeights,
  affinities: RankingOptions['affinities'] = {},
): SignalFactors {
  // Runs for every match of a search: no arrays made when the shopper has no affinities.
  let categoryAffinity = 0;
  const categories = affinities.categories;
  if (categories) {
    for (const id of doc.categoryPath)
      categoryAffinity = Math.max(categoryAffinity, categories[id] ?? 0);
  }
  const brandAffinity = affinities.brands?.[doc.brand] ?? 0;
  const confidence =
    doc.ratingCount === 0 ? 0 : doc.ratingCount / (doc.ratingCount + weights.ratingPrior);
  return {
    popularity: 1 + weights.popularity * Math.log1p(doc.popularity),
    salesVelocity: 1 + weights.salesVelocity * Math.log1p(doc.salesVelocity),
    rating: 1 + weights.rating * (doc.rating / 5) * confidence,
    affinity: 1 + weights.affinity * (categoryAffinity + brandAffinity),
  };
}

/** The product of the business multipliers. */
export const signalProduct = (factors: SignalFactors): number =>
  factors.popularity * factors.salesVelocity * factors.rating * factors.affinity;

/**
 * A hit's score parts, `contracts`' ScoreExplanation one to one. `text` is the engine's text
 * relevance, 1 when the query has no text (so a browse is ordered by the signals alone and the
 * parts always multiply to `total`).
 */
export function explainScore(
  text: number,
  factors: SignalFactors,
  inStock: boolean,
): ScoreExplanation {
  return { text, ...factors, inStock, total: text * signalProduct(factors) };
}

/** Whether a product can be bought now in the region. */
export const inStockIn = (doc: Pick<ProductDocument, 'inStockRegions'>, region: Region): boolean =>
  doc.inStockRegions.includes(region);
