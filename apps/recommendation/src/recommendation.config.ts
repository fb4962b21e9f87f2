import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';
import { interactionsConfigShape } from './interactions/interactions.config';

/** The recommendation app's own settings: its parts'. */
export const recommendationConfigShape = { ...interactionsConfigShape };

/** Configuration of the recommendation app when it runs alone. */
export const recommendationConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3006),
  ...recommendationConfigShape,
});
export type RecommendationConfig = z.infer<typeof recommendationConfigSchema>;
