import type { z } from 'zod';
import { withCoreConfig } from '@mercato/config';
import { demoSeedConfigShape, type DemoSeedConfig } from '@mercato/demo-data';

/**
 * Catalog settings, merged into the process config with `withCoreConfig`: the demo seed
 * (MERCATO_SEED, MERCATO_SEED_PRODUCTS, MERCATO_SEED_RANDOM), shared with inventory.
 */
export const catalogConfigShape = { ...demoSeedConfigShape };

export const catalogConfigSchema = withCoreConfig(catalogConfigShape);
export type CatalogConfig = z.infer<typeof catalogConfigSchema>;
/** The part of the config the catalog module itself reads. */
export type CatalogSeedConfig = DemoSeedConfig;
