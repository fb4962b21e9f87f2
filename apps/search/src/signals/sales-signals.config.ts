import { z } from 'zod';

const days = (fallback: number) => z.coerce.number().int().min(1).max(365).default(fallback);

/**
 * Sales signals settings; merged into the search app's config (docs/search.md, "Sales
 * signals"). The defaults: a quarter for popularity (long enough that a seasonal best-seller
 * keeps its rank between peaks), two weeks for velocity with a one-week half-life (a product
 * that sold yesterday outranks one that sold as much a week ago, by a factor of about 2).
 */
export const salesSignalsConfigShape = {
  /** Days of sales `popularity` sums, today included. */
  SEARCH_POPULARITY_DAYS: days(90),
  /** Days of sales `salesVelocity` averages, today included. */
  SEARCH_VELOCITY_DAYS: days(14),
  /** Age in days at which a day's sales weigh half as much in `salesVelocity`. */
  SEARCH_VELOCITY_HALF_LIFE_DAYS: z.coerce.number().min(0.1).max(365).default(7),
};

const salesSignalsConfigSchema = z.object(salesSignalsConfigShape);

export interface SalesSignalsSettings {
  readonly popularityDays: number;
  readonly velocityDays: number;
  readonly velocityHalfLifeDays: number;
}

/** The sales signals settings out of the process config (defaults for those it lacks). */
export function salesSignalsSettings(config: object = {}): SalesSignalsSettings {
  const parsed = salesSignalsConfigSchema.parse(config);
  return {
    popularityDays: parsed.SEARCH_POPULARITY_DAYS,
    velocityDays: parsed.SEARCH_VELOCITY_DAYS,
    velocityHalfLifeDays: parsed.SEARCH_VELOCITY_HALF_LIFE_DAYS,
  };
}
