import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';
import { searchAnalyticsConfigShape } from './analytics/search-analytics.config';
import { searchRankingConfigShape } from './ranking/search-ranking.config';
import { salesSignalsConfigShape } from './signals/sales-signals.config';

/** The search app's own settings: its parts'. */
export const searchConfigShape = {
  ...salesSignalsConfigShape,
  ...searchAnalyticsConfigShape,
  ...searchRankingConfigShape,
};

/** Configuration of the search app when it runs alone. */
export const searchConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3002),
  ...searchConfigShape,
});
export type SearchConfig = z.infer<typeof searchConfigSchema>;
