import { z } from 'zod';
import { defineEvent, defineRequest } from './contract';
import { regionSchema, warehouseIdSchema } from './common';

export const skuAvailabilitySchema = z.object({
  sku: z.string(),
  available: z.number().int().nonnegative(),
  warehouses: z.array(
    z.object({ warehouseId: warehouseIdSchema, available: z.number().int().nonnegative() }),
  ),
});
export type SkuAvailability = z.infer<typeof skuAvailabilitySchema>;

/** Stock of the given SKUs, warehouses ordered nearest-first for the region. */
export const GetAvailability = defineRequest({
  type: 'inventory.availability.get',
  version: 1,
  owner: 'inventory',
  request: z.object({ skus: z.array(z.string().min(1)).min(1).max(100), region: regionSchema }),
  response: z.object({ items: z.array(skuAvailabilitySchema) }),
});

/**
 * Published after any change of a SKU's stock (reservation, sale, restock, transfer, return,
 * feed); read models that show availability drop or rebuild their copy of the product.
 */
export const StockChanged = defineEvent({
  type: 'inventory.stock.changed',
  version: 1,
  owner: 'inventory',
  schema: z.object({ sku: z.string().min(1), productId: z.string().min(1) }),
});
