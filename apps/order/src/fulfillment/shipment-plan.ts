import type { SkuAvailability, WarehouseId } from '@mercato/contracts';

export interface PlannedLine {
  sku: string;
  quantity: number;
}

/** Per SKU, the warehouses its reservation tries, in order: the planned one first. */
export type ShipmentPlan = Map<string, WarehouseId[]>;

/**
 * Which warehouse fills each line of an order (pure): as few warehouses as possible, nearest
 * first. The first warehouse of `nearest` that can fill every line alone takes them all;
 * otherwise the smallest set of warehouses in which each line can be filled whole by one member
 * (sets of one size compared by their members' positions in `nearest`, so the nearer set wins),
 * each line going to the nearest member that can fill it. A reservation is never split, so a
 * line counts as fillable by a warehouse only when that warehouse alone has its whole quantity.
 * A line no warehouse can fill does not shape the plan: it tries `nearest` in order (and its
 * reservation is refused as before). After its planned warehouse a line tries the others
 * nearest-first, so a plan made on stock that has since moved still reserves where it can.
 */
export function planShipments(
  lines: readonly PlannedLine[],
  stock: readonly SkuAvailability[],
  nearest: readonly WarehouseId[],
): ShipmentPlan {
  const canFill = fillers(stock);
  const fills = (line: PlannedLine, warehouse: WarehouseId) =>
    (canFill.get(line.sku)?.get(warehouse) ?? 0) >= line.quantity;
  const fillable = lines.filter((line) => nearest.some((w) => fills(line, w)));
  const set = smallestCover(nearest, (members) =>
    fillable.every((line) => members.some((w) => fills(line, w))),
  );
  const plan: ShipmentPlan = new Map();
  for (const line of lines) {
    const planned = set.find((w) => fills(line, w));
    plan.set(line.sku, planned ? [planned, ...nearest.filter((w) => w !== planned)] : [...nearest]);
  }
  return plan;
}

/** Units available per SKU per warehouse. */
function fillers(stock: readonly SkuAvailability[]): Map<string, Map<WarehouseId, number>> {
  return new Map(
    stock.map((item) => [
      item.sku,
      new Map(item.warehouses.map((w) => [w.warehouseId, w.available] as const)),
    ]),
  );
}

/**
 * The first set of `warehouses` (by size, then lexicographically by position) that `covers`;
 * members in nearest-first order. Empty when none does (or when nothing needs covering).
 * Three warehouses make at most seven sets, so trying them all costs nothing.
 */
function smallestCover(
  warehouses: readonly WarehouseId[],
  covers: (members: readonly WarehouseId[]) => boolean,
): readonly WarehouseId[] {
  if (covers([])) return [];
  for (let size = 1; size <= warehouses.length; size++) {
    for (const members of combinations(warehouses, size)) {
      if (covers(members)) return members;
    }
  }
  return [];
}

/** The `size`-element subsets of `items`, in lexicographic order of positions. */
function* combinations<T>(items: readonly T[], size: number, from = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - size; i++) {
    for (const rest of combinations(items, size - 1, i + 1)) yield [items[i], ...rest];
  }
}
