import { REGION_WAREHOUSES, type Region, type WarehouseId } from '@mercato/contracts';
import { availableIn, type StockItem } from './stock.model';

/**
 * The warehouses a reservation tries, in order: the caller's own order when it sends one
 * (checkout plans an order's shipments so that it ships from as few places as it can), else the
 * region's nearest-first list.
 */
export function warehousesToTry(
  region: Region,
  planned: readonly WarehouseId[] | undefined,
): readonly WarehouseId[] {
  return planned ?? REGION_WAREHOUSES[region];
}

/**
 * The warehouse a reservation takes its units from: the first of `warehouses` that can fill the
 * whole quantity (a hold is never split, so a line ships from one place). Undefined when none of
 * them has enough.
 */
export function chooseWarehouse(
  item: StockItem,
  warehouses: readonly WarehouseId[],
  quantity: number,
): WarehouseId | undefined {
  return warehouses.find((w) => availableIn(item.warehouses[w]) >= quantity);
}

/** The largest reservation one of `warehouses` could fill now (told to a refused caller). */
export function mostReservableIn(item: StockItem, warehouses: readonly WarehouseId[]): number {
  return Math.max(...warehouses.map((w) => availableIn(item.warehouses[w])));
}
