import { z } from 'zod';
import { DEFAULT_RANKING_WEIGHTS, type RankingWeights } from '@mercato/search-index';

const weight = (fallback: number) => z.coerce.number().min(0).max(100).default(fallback);

/**
 * The weights of the business signals in the `relevance` order (docs/search.md, "Ranking"):
 * each factor is 1 + weight × signal, so 0 turns a signal off.
 */
export const searchRankingConfigShape = {
  SEARCH_WEIGHT_POPULARITY: weight(DEFAULT_RANKING_WEIGHTS.popularity),
  SEARCH_WEIGHT_SALES_VELOCITY: weight(DEFAULT_RANKING_WEIGHTS.salesVelocity),
  SEARCH_WEIGHT_RATING: weight(DEFAULT_RANKING_WEIGHTS.rating),
  /** Ratings a product needs for its average to count half. */
  SEARCH_RATING_PRIOR: z.coerce
    .number()
    .min(0)
    .max(100_000)
    .default(DEFAULT_RANKING_WEIGHTS.ratingPrior),
  SEARCH_WEIGHT_AFFINITY: weight(DEFAULT_RANKING_WEIGHTS.affinity),
};

type RankingConfig = z.infer<z.ZodObject<typeof searchRankingConfigShape>>;

export function rankingWeightsFrom(config: object): RankingWeights {
  const values = z.object(searchRankingConfigShape).parse(config) satisfies RankingConfig;
  return {
    popularity: values.SEARCH_WEIGHT_POPULARITY,
    salesVelocity: values.SEARCH_WEIGHT_SALES_VELOCITY,
    rating: values.SEARCH_WEIGHT_RATING,
    ratingPrior: values.SEARCH_RATING_PRIOR,
    affinity: values.SEARCH_WEIGHT_AFFINITY,
  };
}
