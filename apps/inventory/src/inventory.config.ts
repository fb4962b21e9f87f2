import type { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';
import { demoSeedConfigShape, type DemoSeedConfig } from '@mercato/demo-data';

/**
 * Inventory settings, merged into the process config with `withCoreConfig`. The demo stock is
 * generated from the same variables as the catalog (MERCATO_SEED, MERCATO_SEED_PRODUCTS,
 * MERCATO_SEED_RANDOM), so both services agree on the SKUs without talking to each other.
 */
export const inventoryConfigShape = { ...demoSeedConfigShape };

/** Configuration of the inventory app when it runs alone (Kafka and a DynamoDB server). */
export const inventoryConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3005),
  ...inventoryConfigShape,
});
export type InventoryConfig = z.infer<typeof inventoryConfigSchema>;
export type InventorySeedConfig = DemoSeedConfig;
