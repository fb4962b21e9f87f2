import { Injectable, Logger } from '@nestjs/common';
import type { ApplyStockFeed, FeedRow, FeedRowResult, RequestOf } from '@mercato/contracts';
import { InventoryClock } from '../inventory.clock';
import type { StockItem } from '../stock/stock.model';
import { StockPublisher } from '../stock/stock.publisher';
import { StockRepository } from '../stock/stock.repository';
import {
  judgeFeedRow,
  keptChanging,
  readFeedRow,
  type FeedMode,
  type FeedRowOutcome,
} from './feed-rows';
import { FeedsRepository, type FeedHead, type StoredFeedRow } from './feeds.repository';

/** The source of a feed without a seller: an operator's (admin) feed, allowed for any SKU. */
export const ADMIN_SOURCE = 'admin';

const MAX_ATTEMPTS = 10;
/** SKUs written at once while applying a chunk; rows of one SKU are applied in order. */
const CONCURRENCY = 16;

export interface ReconcileResult {
  feeds: number;
  retried: number;
  applied: number;
}

/**
 * Seller and supplier stock feeds: each row sets a warehouse's on-hand count absolutely.
 *
 * Semantics:
 * - Rows are validated one by one; a bad row is rejected with a reason, the others still apply.
 * - A row whose warehouse already has that on-hand count is `unchanged`: nothing is written (no
 *   version bump, no event), so re-sending a feed changes nothing.
 * - An applied row sets `onHand` and recomputes `available = onHand - reserved` in one
 *   conditional write, refused when it would put on hand below what is reserved (held units are
 *   promised to customers; the seller must release or ship them first).
 * - Each warehouse records the feed that last set it (`feedId`, `feedAt` = the feed's first
 *   receipt time). A row of an older feed never overwrites a warehouse a newer feed has set.
 * - The latest feed of each source (a seller, or `admin`) is stored. Reconciliation re-applies its
 *   rows that were rejected for a reason that can go away (the SKU was unknown because the
 *   product event had not arrived yet), and only if the warehouse has not been set by this or a
 *   newer feed since. A feed's count is a snapshot at its time: re-applying it after the SKU sold
 *   units would resurrect them, which the per-warehouse feed time prevents (once applied, the
 *   row's own feed time is recorded, so a second pass leaves the warehouse alone).
 */
@Injectable()
export class FeedsService {
  private readonly logger = new Logger(FeedsService.name);

  constructor(
    private readonly feeds: FeedsRepository,
    private readonly stock: StockRepository,
    private readonly publisher: StockPublisher,
    private readonly clock: InventoryClock,
  ) {}

  async apply(command: RequestOf<typeof ApplyStockFeed>): Promise<FeedRowResult[]> {
    const { feedId, sellerId, rows, offset } = command;
    const head = await this.feeds.openFeed(sellerId ?? ADMIN_SOURCE, feedId, this.clock.now());
    const results: FeedRowResult[] = new Array(rows.length);
    const valid: { index: number; row: FeedRow }[] = [];
    rows.forEach((raw, index) => {
      const read = readFeedRow(raw);
      if ('row' in read) valid.push({ index, row: read.row });
      else results[index] = { row: offset + index, ...read.rejected };
    });

    const items = await this.stock.findBySkus(valid.map((v) => v.row.sku));
    const stored: StoredFeedRow[] = [];
    await forEachSku(
      valid,
      (v) => v.row.sku,
      async ({ index, row }) => {
        const outcome = await this.applyRow(items, row, head, sellerId, 'live');
        results[index] = {
          row: offset + index,
          sku: row.sku,
          warehouseId: row.warehouseId,
          ...outcome,
        };
        stored.push(withoutUndefined({ row: offset + index, ...row, ...outcome }));
      },
    );
    stored.sort((a, b) => a.row - b.row);
    await this.feeds.saveChunk(head, offset, stored);
    return results;
  }

  /**
   * Re-applies the retryable rows of every source's latest feed (see the class comment).
   * Safe to run on several replicas at once: every write is conditional on the feed time.
   */
  async reconcile(): Promise<ReconcileResult> {
    const result: ReconcileResult = { feeds: 0, retried: 0, applied: 0 };
    for (const head of await this.feeds.latestFeeds()) {
      result.feeds++;
      const sellerId = head.source === ADMIN_SOURCE ? undefined : head.source;
      for (const key of head.chunkKeys) {
        const rows = await this.feeds.rows(key);
        const retry = rows.filter((r) => r.status === 'rejected' && r.retry);
        if (retry.length === 0) continue;
        const items = await this.stock.findBySkus(retry.map((r) => r.sku));
        let changed = false;
        await forEachSku(
          retry,
          (r) => r.sku,
          async (row) => {
            result.retried++;
            const outcome = await this.applyRow(items, row, head, sellerId, 'reconcile');
            if (outcome.status === 'applied') result.applied++;
            if (outcome.status !== row.status || outcome.reason !== row.reason) {
              Object.assign(row, {
                status: outcome.status,
                reason: outcome.reason,
                retry: outcome.retry,
              });
              changed = true;
            }
          },
        );
        if (changed) await this.feeds.putPart(key, rows.map(withoutUndefined));
      }
    }
    if (result.applied > 0) this.logger.log(`reconciliation applied ${result.applied} feed row(s)`);
    return result;
  }

  /**
   * Applies one well-formed row: the row rules decide on the item as known, and a row they let
   * through is one conditional write; when the item changed meanwhile, it is read and judged again.
   */
  private async applyRow(
    items: Map<string, StockItem>,
    row: FeedRow,
    feed: FeedHead,
    sellerId: string | undefined,
    mode: FeedMode,
  ): Promise<FeedRowOutcome> {
    let item = items.get(row.sku);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const judged = judgeFeedRow(item, row, feed, sellerId, mode);
      if (judged !== 'write') return judged;
      const written = await this.publisher.write(row.sku, () =>
        this.stock.applyFeedRow(row.sku, {
          warehouseId: row.warehouseId,
          onHand: row.onHand,
          feedId: feed.feedId,
          receivedAt: feed.receivedAt,
          // A live re-send of a chunk may set what its own feed set; reconciliation never does.
          rewriteSameFeed: mode === 'live',
        }),
      );
      if (written) {
        items.set(row.sku, written);
        return { status: 'applied' };
      }
      item = await this.stock.get(row.sku);
      if (item) items.set(row.sku, item);
    }
    return keptChanging(row.sku);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Runs `task` for every entry, entries of the same SKU one after another in their order (two rows
 * for one warehouse: the later wins), different SKUs up to CONCURRENCY at a time.
 */
async function forEachSku<T>(
  entries: T[],
  skuOf: (entry: T) => string,
  task: (entry: T) => Promise<void>,
): Promise<void> {
  const bySku = new Map<string, T[]>();
  for (const entry of entries) {
    const list = bySku.get(skuOf(entry));
    if (list) list.push(entry);
    else bySku.set(skuOf(entry), [entry]);
  }
  const queues = [...bySku.values()];
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const entry of queue) await task(entry);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queues.length) }, worker));
}
