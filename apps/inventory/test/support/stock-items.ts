import type { WarehouseId } from '@mercato/contracts';
import {
  newStockItem,
  type HoldRecord,
  type OpRecord,
  type StockItem,
  type WarehouseStock,
} from '../../src/stock/stock.model';

/** Stock of one warehouse as a rule spec states it: on hand, and how much of it is held. */
type StockOf = Partial<Pick<WarehouseStock, 'onHand' | 'reserved' | 'feedAt' | 'feedId'>>;

/**
 * A stock item in memory (no table): every warehouse empty unless `stock` names it, `available`
 * kept at on hand minus reserved as the stored items keep it.
 */
export function stockItem(
  stock: Partial<Record<WarehouseId, StockOf>> = {},
  extra: { sku?: string; sellerId?: string; ops?: Record<string, OpRecord>; sweepAt?: number } = {},
): StockItem {
  const item = newStockItem({
    sku: extra.sku ?? 'SKU-1',
    productId: 'P-1',
    variantId: 'V-1',
    sellerId: extra.sellerId,
  });
  for (const [warehouseId, given] of Object.entries(stock)) {
    const onHand = given.onHand ?? 0;
    const reserved = given.reserved ?? 0;
    item.warehouses[warehouseId as WarehouseId] = {
      ...item.warehouses[warehouseId as WarehouseId],
      ...given,
      onHand,
      reserved,
      available: onHand - reserved,
    };
  }
  return { ...item, ops: extra.ops ?? {}, sweepAt: extra.sweepAt };
}

/** A hold record; an open hold of 1 unit in us-east, placed at 0 and expiring at 1,000, unless told. */
export function hold(fields: Partial<HoldRecord> = {}): HoldRecord {
  return {
    kind: 'hold',
    warehouseId: 'us-east',
    quantity: 1,
    expiresAt: 1_000,
    status: 'held',
    at: 0,
    ...fields,
  };
}
