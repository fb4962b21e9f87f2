import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import {
  REGION_WAREHOUSES,
  type EventData,
  type ProductChanged,
  type Region,
  type RequestOf,
  type RestockStock,
  type ReturnStock,
  type SkuAvailability,
  type SkuStock,
  type TransferStock,
  type WarehouseId,
} from '@mercato/contracts';
import { InventoryClock } from '../inventory.clock';
import { inventoryRuntimeConfig, type InventoryRuntimeConfig } from '../inventory.config';
import { InventoryErrorCode, InventoryException } from '../inventory.exception';
import { StockCache } from './stock.cache';
import {
  availableIn,
  newStockItem,
  toSkuStock,
  type OperationRecord,
  type StockItem,
} from './stock.model';
import {
  ensureAvailable,
  ensureRetryOf,
  restockOperation,
  returnOperation,
  transferOperation,
  type StockOperation,
} from './stock-operations';
import { StockPublisher } from './stock.publisher';
import { StockRepository } from './stock.repository';

/** A failed condition means the item changed under us; a few re-reads settle any real race. */
const MAX_ATTEMPTS = 20;

/**
 * Stock of SKUs: availability reads (cached), supplier restocks, transfers between warehouses,
 * returns, and the stock items of new SKUs. Reservations live in reservations.service.ts.
 */
@Injectable()
export class StockService {
  private readonly config: InventoryRuntimeConfig;

  constructor(
    private readonly stock: StockRepository,
    private readonly cache: StockCache,
    private readonly publisher: StockPublisher,
    private readonly clock: InventoryClock,
    @InjectConfig() config: object,
  ) {
    this.config = inventoryRuntimeConfig(config);
  }

  /** Records the item a write returned, so the next decision on the SKU starts from it. */
  remember(item: StockItem): void {
    this.cache.remember(item);
  }

  /** Drops cached SKUs after writes this service did not see; no SKUs drops everything. */
  forget(skus?: readonly string[]): void {
    this.cache.forget(skus);
  }

  /**
   * Availability of each known SKU, in the order asked, warehouses nearest-first for the region.
   * Unknown SKUs are left out.
   */
  async availability(skus: readonly string[], region: Region): Promise<SkuAvailability[]> {
    const found = new Map<string, StockItem>();
    const missing: string[] = [];
    for (const sku of skus) {
      const item = this.cache.get(sku);
      if (item) found.set(sku, item);
      else missing.push(sku);
    }
    if (missing.length > 0) {
      for (const [sku, item] of await this.stock.findBySkus(missing)) {
        this.cache.remember(item);
        found.set(sku, item);
      }
    }
    const seen = new Set<string>();
    const result: SkuAvailability[] = [];
    for (const sku of skus) {
      const item = found.get(sku);
      if (!item || seen.has(sku)) continue;
      seen.add(sku);
      result.push(toAvailability(item, region));
    }
    return result;
  }

  /** A supplier delivery: onHand and available go up. */
  restock(command: RequestOf<typeof RestockStock>): Promise<SkuStock> {
    return this.applyOnce(restockOperation(command));
  }

  /**
   * Moves available units from one warehouse to another. Every warehouse of a SKU lives in the
   * same item, so the decrement of `from` and the increment of `to` are one conditional write:
   * both or neither apply, so a transfer can never create or lose units, whatever runs
   * concurrently. The write requires `from` to still have the units available, which keeps
   * reserved units where their holds are; a concurrent reservation that takes them makes it fail
   * cleanly.
   */
  transfer(command: RequestOf<typeof TransferStock>): Promise<SkuStock> {
    return this.applyOnce(transferOperation(command));
  }

  /** A customer return: resellable units go back on sale, damaged ones are written off. */
  returnUnits(command: RequestOf<typeof ReturnStock>): Promise<SkuStock> {
    return this.applyOnce(returnOperation(command));
  }

  /**
   * Creates zero-stock items for the SKUs of a product that inventory does not know yet
   * (conditional put: replays and existing SKUs change nothing). Answers how many it created.
   */
  async createForProduct(event: EventData<typeof ProductChanged>): Promise<number> {
    let created = 0;
    for (const variant of event.variants ?? []) {
      const item = newStockItem({
        sku: variant.sku,
        productId: event.productId,
        variantId: variant.variantId,
        sellerId: event.sellerId,
      });
      if (await this.stock.createIfMissing(item)) created++;
    }
    return created;
  }

  /**
   * A SKU's item from the cache when allowed (`fresh: false`: a decision that would refuse the
   * command must be re-checked on a fresh read), else strongly consistent. 404 UNKNOWN_SKU.
   */
  async load(sku: string, allowCache: boolean): Promise<{ item: StockItem; fresh: boolean }> {
    const cached = allowCache ? this.cache.get(sku) : undefined;
    if (cached) return { item: cached, fresh: false };
    const item = await this.stock.get(sku);
    if (!item) throw new InventoryException(InventoryErrorCode.UnknownSku, `Unknown SKU ${sku}`);
    this.cache.remember(item);
    return { item, fresh: true };
  }

  /**
   * Applies an operation exactly once per id: the stock change and the record `ops.<id>` are
   * one write, refused when the id is already recorded, so a retry finds the record and answers
   * the current stock without applying twice.
   */
  private async applyOnce(operation: StockOperation): Promise<SkuStock> {
    const { id, sku } = operation;
    let { item, fresh } = await this.load(sku, true);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) ({ item, fresh } = await this.load(sku, false));
      const existing = item.ops?.[id];
      if (existing) {
        ensureRetryOf(operation, existing);
        return toSkuStock(item);
      }
      try {
        ensureAvailable(operation, item);
      } catch (error) {
        if (!fresh) continue; // a cached item may be stale: refuse only on a fresh read
        throw error;
      }
      const now = this.clock.now();
      const record: OperationRecord = {
        kind: operation.kind,
        signature: operation.signature,
        at: now,
      };
      const read = item;
      const written = await this.publisher.write(sku, () =>
        this.stock.applyCommand(read, {
          id,
          record,
          change: operation.change,
          pruneAt: now + this.config.INVENTORY_OPERATION_RETENTION_MS,
        }),
      );
      if (written) return toSkuStock(written);
    }
    throw new InventoryException(
      InventoryErrorCode.WriteContention,
      `${sku} kept changing; try again`,
    );
  }
}

function toAvailability(item: StockItem, region: Region): SkuAvailability {
  const warehouses = REGION_WAREHOUSES[region].map((warehouseId: WarehouseId) => ({
    warehouseId,
    available: availableIn(item.warehouses[warehouseId]),
  }));
  return {
    sku: item.sku,
    available: warehouses.reduce((sum, w) => sum + w.available, 0),
    warehouses,
  };
}
