import type {
  CommitReservation,
  ReleaseReservation,
  ReserveStock,
  ResponseOf,
  WarehouseId,
} from '@mercato/contracts';
import { InventoryErrorCode, InventoryException } from '../inventory.exception';
import {
  isOpenHold,
  nextDueAt,
  toSkuStock,
  type HoldRecord,
  type OpRecord,
  type StockItem,
  type SweepPlan,
} from '../stock/stock.model';
import { mostReservableIn } from '../stock/warehouse-choice';

export type ReserveResult = ResponseOf<typeof ReserveStock>;
export type CommitResult = ResponseOf<typeof CommitReservation>;
export type ReleaseResult = ResponseOf<typeof ReleaseReservation>;

/** What a commit or release does with a hold: answer at once (`done`), or write the change. */
export type HoldDecision = 'done' | 'write';

/** A new open hold of `quantity` units of `warehouseId`, expiring `ttlMs` after `now`. */
export function newHold(
  warehouseId: WarehouseId,
  quantity: number,
  now: number,
  ttlMs: number,
): HoldRecord {
  return { kind: 'hold', warehouseId, quantity, expiresAt: now + ttlMs, status: 'held', at: now };
}

/** The answer to a reservation that holds its units. */
export function reservedAnswer(id: string, item: StockItem, hold: HoldRecord): ReserveResult {
  return {
    status: 'reserved',
    reservationId: id,
    sku: item.sku,
    warehouseId: hold.warehouseId,
    quantity: hold.quantity,
    expiresAt: new Date(hold.expiresAt).toISOString(),
    stock: toSkuStock(item),
  };
}

/** The answer when none of the warehouses tried can fill the quantity: nothing is held. */
export function insufficientAnswer(
  item: StockItem,
  warehouses: readonly WarehouseId[],
): ReserveResult {
  return {
    status: 'insufficient',
    sku: item.sku,
    available: mostReservableIn(item, warehouses),
    stock: toSkuStock(item),
  };
}

/**
 * The answer to a reservation id seen before: the same hold again when it is a retry of the
 * same reservation still held or sold; 409 when the id was used for something else, or when its
 * hold is over (its units are back on sale, so answering "reserved" would be a lie).
 */
export function repeatedReservationAnswer(
  id: string,
  item: StockItem,
  record: OpRecord,
  quantity: number,
): ReserveResult {
  if (record.kind !== 'hold' || record.quantity !== quantity) {
    throw new InventoryException(
      InventoryErrorCode.OperationConflict,
      `Reservation ${id} was already used for another command on ${item.sku}`,
    );
  }
  if (record.status === 'released' || record.status === 'expired') {
    throw new InventoryException(
      InventoryErrorCode.ReservationNotHeld,
      `Reservation ${id} is ${record.status}; reserve again with a new id`,
    );
  }
  return reservedAnswer(id, item, record);
}

/** The hold a commit or release names: 404 when there is none, 409 when the id is no hold. */
export function holdToFinish(id: string, sku: string, record: OpRecord | undefined): HoldRecord {
  if (!record) {
    throw new InventoryException(
      InventoryErrorCode.ReservationNotFound,
      `No reservation ${id} for ${sku}`,
    );
  }
  if (record.kind !== 'hold') {
    throw new InventoryException(
      InventoryErrorCode.OperationConflict,
      `${id} is a ${record.kind} operation on ${sku}, not a reservation`,
    );
  }
  return record;
}

/**
 * A commit of a hold at `now`: a committed hold is already a sale (`done`); an open hold that
 * has not expired is sold (`write`); a released or expired one cannot be sold (409).
 */
export function decideCommit(id: string, hold: HoldRecord, now: number): HoldDecision {
  if (hold.status === 'committed') return 'done';
  if (hold.status !== 'held' || hold.expiresAt <= now) {
    throw new InventoryException(
      InventoryErrorCode.ReservationNotHeld,
      `Reservation ${id} is ${hold.status === 'held' ? 'expired' : hold.status}; it cannot be committed`,
    );
  }
  return 'write';
}

/**
 * A release of a hold: a released or expired hold's units are back already (`done`); a
 * committed one is a sale that stands (409: undoing it is a return); an open one is released.
 */
export function decideRelease(id: string, hold: HoldRecord): HoldDecision {
  if (hold.status === 'released' || hold.status === 'expired') return 'done';
  if (hold.status === 'committed') {
    throw new InventoryException(
      InventoryErrorCode.ReservationNotHeld,
      `Reservation ${id} is committed; it cannot be released`,
    );
  }
  return 'write';
}

/**
 * What a sweep at `now` does to an item: open holds past their expiry expire, finished records
 * older than `retentionMs` are pruned, and the item is next due at its earliest remaining
 * deadline. Undefined when there is nothing to do (nothing expires or goes, sweep time right).
 */
export function planSweep(
  item: StockItem,
  now: number,
  retentionMs: number,
): SweepPlan | undefined {
  const remaining = { ...(item.ops ?? {}) };
  const plan: SweepPlan = { now, expire: [], prune: [], nextDueAt: undefined };
  for (const [id, record] of Object.entries(item.ops ?? {})) {
    if (isOpenHold(record)) {
      if (record.expiresAt <= now) {
        plan.expire.push({ id, hold: record });
        remaining[id] = { ...record, status: 'expired', at: now };
      }
    } else if (record.at + retentionMs <= now) {
      plan.prune.push(id);
      delete remaining[id];
    }
  }
  plan.nextDueAt = nextDueAt(remaining, retentionMs);
  const idle =
    plan.expire.length === 0 && plan.prune.length === 0 && plan.nextDueAt === item.sweepAt;
  return idle ? undefined : plan;
}
