import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';
import { salesSignalsConfigShape } from './signals/sales-signals.config';

/** The search app's own settings. */
export const searchConfigShape = {
  ...salesSignalsConfigShape,
};

/** Configuration of the search app when it runs alone. */
export const searchConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3002),
  ...searchConfigShape,
});
export type SearchConfig = z.infer<typeof searchConfigSchema>;
