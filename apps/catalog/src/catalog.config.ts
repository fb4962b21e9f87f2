import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';
import { demoSeedConfigShape, type DemoSeedConfig } from '@mercato/demo-data';

/** Catalog settings of its own (all optional, with defaults). */
export const catalogSettingsShape = {
  /**
   * How long a replica may serve a product or the category counts from memory after another
   * replica changed them (its own writes drop its copies at once).
   */
  CATALOG_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(1_000),
  /** How often the product outbox relay looks for changes whose writer died before publishing. */
  CATALOG_OUTBOX_INTERVAL_MS: z.coerce.number().int().min(10).max(3_600_000).default(2_000),
  /** A change younger than this is still being published by its writer; the relay leaves it. */
  CATALOG_OUTBOX_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
};
const catalogSettingsSchema = z.object(catalogSettingsShape);
export type CatalogSettings = z.infer<typeof catalogSettingsSchema>;

/**
 * Catalog settings, merged into the process config with `withCoreConfig`: the demo seed
 * (MERCATO_SEED, MERCATO_SEED_PRODUCTS, MERCATO_SEED_RANDOM), shared with inventory, and the
 * catalog's own (cache TTL, outbox relay).
 */
export const catalogConfigShape = { ...demoSeedConfigShape, ...catalogSettingsShape };

/** Configuration of the catalog app when it runs alone (Kafka and a DynamoDB server). */
export const catalogConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3001),
  ...catalogConfigShape,
});
export type CatalogConfig = z.infer<typeof catalogConfigSchema>;
/** The part of the config the catalog module itself reads. */
export type CatalogSeedConfig = DemoSeedConfig;

/**
 * The catalog's own settings out of the process config, defaults filled in (a host or a test
 * that builds its config by hand may leave them out).
 */
export function catalogSettings(config: object): CatalogSettings {
  return catalogSettingsSchema.parse(config);
}
