import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';

/** The cart app's own settings (none yet beyond the shared ones). */
export const cartConfigShape = {};

/** Configuration of the cart app when it runs alone. */
export const cartConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3003),
  ...cartConfigShape,
});
export type CartConfig = z.infer<typeof cartConfigSchema>;
