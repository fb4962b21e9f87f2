import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';

/** The recommendation app's own settings (none yet beyond the shared ones). */
export const recommendationConfigShape = {};

/** Configuration of the recommendation app when it runs alone. */
export const recommendationConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3006),
  ...recommendationConfigShape,
});
export type RecommendationConfig = z.infer<typeof recommendationConfigSchema>;
