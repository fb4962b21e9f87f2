import { REGION_WAREHOUSES, type Region, type WarehouseId } from '@mercato/contracts';
import { availableIn, type StockItem } from './stock.model';

/**
 * The warehouse a reservation takes its units from: the nearest of the region's warehouses
 * that can fill the whole quantity (a hold is never split, so an order ships from one place).
 * Undefined when no warehouse of the region has enough.
 */
export function chooseWarehouse(
  item: StockItem,
  region: Region,
  quantity: number,
): WarehouseId | undefined {
  return REGION_WAREHOUSES[region].find((w) => availableIn(item.warehouses[w]) >= quantity);
}

/** The largest reservation one warehouse of the region could fill now (told to a refused caller). */
export function mostReservableIn(item: StockItem, region: Region): number {
  return Math.max(...REGION_WAREHOUSES[region].map((w) => availableIn(item.warehouses[w])));
}

/** The warehouse tried first when the item has not been read: the region's nearest. */
export const nearestWarehouse = (region: Region): WarehouseId => REGION_WAREHOUSES[region][0];
