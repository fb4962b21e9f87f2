import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';
import { demoSeedConfigShape, type DemoSeedConfig } from '@mercato/demo-data';

/** Stock rules and background jobs of the inventory service. */
export const inventoryRuntimeShape = {
  /** How long a reservation holds its units when the request names no `ttlSeconds`. */
  INVENTORY_HOLD_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** How often the sweeper returns expired holds to available (and prunes old records). */
  INVENTORY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  /**
   * How long finished operation records (committed/released/expired holds, restocks, transfers,
   * returns) are kept, so a retried command answers "already done" instead of applying twice.
   */
  INVENTORY_OPERATION_RETENTION_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(30 * 86_400_000)
    .default(3_600_000),
  /** How often the outbox relay looks for stock changes whose event was not published. */
  INVENTORY_OUTBOX_INTERVAL_MS: z.coerce.number().int().min(10).max(3_600_000).default(2_000),
  /** A pending mark younger than this belongs to a writer still publishing it. */
  INVENTORY_OUTBOX_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** How often stored stock feeds are re-applied for rows that could not be applied before. */
  INVENTORY_RECONCILE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(86_400_000)
    .default(15 * 60_000),
  /**
   * Lifetime of a stock item in this process's cache. Short, so several inventory replicas (each
   * exact for its own writes) converge on the others' writes within it.
   */
  INVENTORY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
};
export type InventoryRuntimeConfig = z.infer<z.ZodObject<typeof inventoryRuntimeShape>>;

const runtimeSchema = z.object(inventoryRuntimeShape);

/**
 * The inventory settings out of the process config, defaults filled in: hosts and tests that
 * assemble a config without these variables get the documented defaults.
 */
export function inventoryRuntimeConfig(config: object): InventoryRuntimeConfig {
  return runtimeSchema.parse(config);
}

/**
 * Inventory settings, merged into the process config with `withCoreConfig`. The demo stock is
 * generated from the same variables as the catalog (MERCATO_SEED, MERCATO_SEED_PRODUCTS,
 * MERCATO_SEED_RANDOM), so both services agree on the SKUs without talking to each other.
 */
export const inventoryConfigShape = { ...demoSeedConfigShape, ...inventoryRuntimeShape };

/** Configuration of the inventory app when it runs alone (Kafka and a DynamoDB server). */
export const inventoryConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3005),
  ...inventoryConfigShape,
});
export type InventoryConfig = z.infer<typeof inventoryConfigSchema>;
export type InventorySeedConfig = DemoSeedConfig;
