import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';

/** The search app's own settings (none yet beyond the shared ones). */
export const searchConfigShape = {};

/** Configuration of the search app when it runs alone. */
export const searchConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3002),
  ...searchConfigShape,
});
export type SearchConfig = z.infer<typeof searchConfigSchema>;
