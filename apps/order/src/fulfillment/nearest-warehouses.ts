import { REGION_WAREHOUSES, type Region, type WarehouseId } from '@mercato/contracts';
import type { ShippingAddress } from '../orders/order.events';

/**
 * The warehouses nearest a shipping address, nearest first. Each region ships only to its own
 * countries (checkout/address.rules.ts), so today that is the region's list; the address is
 * taken so that a finer mapping (by country, later by postcode) changes this function only.
 */
export function warehousesNearest(
  _address: ShippingAddress,
  region: Region,
): readonly WarehouseId[] {
  return REGION_WAREHOUSES[region];
}
