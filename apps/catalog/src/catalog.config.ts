import type { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';
import { demoSeedConfigShape, type DemoSeedConfig } from '@mercato/demo-data';

/**
 * Catalog settings, merged into the process config with `withCoreConfig`: the demo seed
 * (MERCATO_SEED, MERCATO_SEED_PRODUCTS, MERCATO_SEED_RANDOM), shared with inventory.
 */
export const catalogConfigShape = { ...demoSeedConfigShape };

/** Configuration of the catalog app when it runs alone (Kafka and a DynamoDB server). */
export const catalogConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3001),
  ...catalogConfigShape,
});
export type CatalogConfig = z.infer<typeof catalogConfigSchema>;
/** The part of the config the catalog module itself reads. */
export type CatalogSeedConfig = DemoSeedConfig;
