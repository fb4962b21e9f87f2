import {
  feedRowSchema,
  WAREHOUSES,
  type FeedRow,
  type FeedRowResult,
  type WarehouseId,
} from '@mercato/contracts';
import type { StockItem } from '../stock/stock.model';

/** How a row is being applied: as its feed arrives, or again by reconciliation later. */
export type FeedMode = 'live' | 'reconcile';

/** What happened to a row (stored with it, and answered without its row number). */
export type FeedRowOutcome = {
  status: FeedRowResult['status'];
  reason?: string;
  /** Rejected for a reason that may go away (SKU not known yet): reconciliation tries again. */
  retry?: boolean;
};

/** The feed a row belongs to, as far as the row rules need it. */
export interface FeedOrigin {
  feedId: string;
  /** Epoch ms of the feed's first chunk: its time for ordering against other feeds. */
  receivedAt: number;
}

/** A raw row read: the row when it has the shape {sku, warehouseId, onHand}, else its rejection. */
export type ReadFeedRow =
  | { row: FeedRow }
  | {
      rejected: Pick<FeedRowResult, 'sku' | 'warehouseId'> & { status: 'rejected'; reason: string };
    };

/**
 * Checks one raw row alone. A bad row is rejected with a readable reason, labelled with its SKU
 * and warehouse where those are usable, so the sender can find and fix it.
 */
export function readFeedRow(raw: unknown): ReadFeedRow {
  const parsed = feedRowSchema.safeParse(raw);
  if (parsed.success) return { row: parsed.data };
  return { rejected: { ...identify(raw), ...rejection(raw) } };
}

/**
 * What a well-formed row does to the item: a decided outcome, or `write` (set the count).
 * Rejected: an unknown SKU (retried later, the product event may not have arrived yet), another
 * seller's SKU, a count below what is reserved. Unchanged: the warehouse was set by a newer feed
 * (in reconciliation, also by this same feed), or it already has that count.
 */
export function judgeFeedRow(
  item: StockItem | undefined,
  row: FeedRow,
  feed: FeedOrigin,
  sellerId: string | undefined,
  mode: FeedMode,
): FeedRowOutcome | 'write' {
  if (!item) return { status: 'rejected', reason: `unknown SKU ${row.sku}`, retry: true };
  if (sellerId !== undefined && item.sellerId !== sellerId) {
    return { status: 'rejected', reason: `SKU ${row.sku} belongs to another seller` };
  }
  const w = item.warehouses[row.warehouseId];
  const setAt = w?.feedAt;
  if (
    setAt !== undefined &&
    (mode === 'reconcile' ? setAt >= feed.receivedAt : setAt > feed.receivedAt)
  ) {
    return {
      status: 'unchanged',
      reason: `${row.warehouseId} was set by ${setAt === feed.receivedAt ? 'this' : 'a newer'} feed since`,
    };
  }
  if (w && w.onHand === row.onHand) return { status: 'unchanged' };
  const reserved = w?.reserved ?? 0;
  if (row.onHand < reserved) {
    return {
      status: 'rejected',
      reason: `onHand ${row.onHand} is below the ${reserved} unit(s) currently reserved in ${row.warehouseId}`,
    };
  }
  return 'write';
}

/** The outcome of a row whose SKU kept changing under every attempt: the sender may retry it. */
export const keptChanging = (sku: string): FeedRowOutcome => ({
  status: 'rejected',
  reason: `${sku} kept changing; send the row again`,
  retry: true,
});

/** A readable reason for a row that does not have the shape {sku, warehouseId, onHand}. */
function rejection(raw: unknown): { status: 'rejected'; reason: string } {
  const reject = (reason: string) => ({ status: 'rejected' as const, reason });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject('row must be an object {sku, warehouseId, onHand}');
  }
  const { sku, warehouseId, onHand } = raw as Record<string, unknown>;
  if (!isUsableSku(sku)) return reject('sku must be a string of 1 to 128 characters');
  if (!isWarehouse(warehouseId)) {
    return reject(`unknown warehouse ${JSON.stringify(warehouseId ?? null)}`);
  }
  if (typeof onHand !== 'number' || !Number.isFinite(onHand))
    return reject('onHand must be a number');
  if (onHand < 0) return reject(`onHand must not be negative (got ${onHand})`);
  if (!Number.isInteger(onHand)) return reject(`onHand must be a whole number (got ${onHand})`);
  return reject(`onHand ${onHand} is too large`);
}

/** The row's SKU and warehouse when they are usable, to label a rejected row's result. */
function identify(raw: unknown): Pick<FeedRowResult, 'sku' | 'warehouseId'> {
  if (typeof raw !== 'object' || raw === null) return {};
  const { sku, warehouseId } = raw as Record<string, unknown>;
  return {
    ...(isUsableSku(sku) ? { sku } : {}),
    ...(isWarehouse(warehouseId) ? { warehouseId } : {}),
  };
}

const isUsableSku = (sku: unknown): sku is string =>
  typeof sku === 'string' && sku.length > 0 && sku.length <= 128;

const isWarehouse = (value: unknown): value is WarehouseId =>
  WAREHOUSES.includes(value as WarehouseId);
