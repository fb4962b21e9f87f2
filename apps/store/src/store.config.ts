import { z } from 'zod';
import { portShape, withCoreConfig } from '@mercato/config';
import { cartConfigShape } from '@mercato/cart';
import { catalogConfigShape } from '@mercato/catalog';
import { gatewayConfigShape } from '@mercato/gateway';
import { inventoryConfigShape } from '@mercato/inventory';
import { orderConfigShape } from '@mercato/order';
import { recommendationConfigShape } from '@mercato/recommendation';
import { searchConfigShape } from '@mercato/search';

/**
 * The embedded store's configuration: every app's fields on the embedded defaults
 * (in-process bus, in-process dynalite on disk under .data/), so `npm start` needs nothing.
 */
export const storeConfigSchema = withCoreConfig({
  ...portShape(3000),
  ...gatewayConfigShape,
  ...catalogConfigShape,
  ...inventoryConfigShape,
  ...searchConfigShape,
  ...cartConfigShape,
  ...orderConfigShape,
  ...recommendationConfigShape,
});
export type StoreConfig = z.infer<typeof storeConfigSchema>;
