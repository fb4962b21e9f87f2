import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';

/** The order app's own settings (none yet beyond the shared ones). */
export const orderConfigShape = {};

/** Configuration of the order app when it runs alone. */
export const orderConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3004),
  ...orderConfigShape,
});
export type OrderConfig = z.infer<typeof orderConfigSchema>;
