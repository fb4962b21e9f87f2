import { Injectable } from '@nestjs/common';
import { REGION_WAREHOUSES, type Region, type SkuAvailability } from '@mercato/contracts';
import { LRUCache } from 'lru-cache';
import { StockRepository, type StockItem } from './stock.repository';

/** What can be sold: on hand minus reserved, never below zero. */
export const availableIn = (stock: { onHand: number; reserved: number } | undefined): number =>
  Math.max(0, (stock?.onHand ?? 0) - (stock?.reserved ?? 0));

@Injectable()
export class StockService {
  /**
   * Stock items as last read or written by this process. Inventory is the only writer of its
   * table, so a write that goes through this service replaces the entry (`remember`) and the
   * cache stays exact; a second replica must also `forget` on the `inventory.changed` events of
   * the others (comes with the stock-changing commands). Misses are read in one BatchGet.
   */
  private readonly cached = new LRUCache<string, StockItem>({ max: 100_000 });

  constructor(private readonly stock: StockRepository) {}

  /** Records the item a conditional write returned (ReturnValues ALL_NEW). */
  remember(item: StockItem): void {
    this.cached.set(item.sku, item);
  }

  /** Drops cached SKUs after writes this service did not see; no SKUs drops everything. */
  forget(skus?: readonly string[]): void {
    if (!skus) this.cached.clear();
    else for (const sku of skus) this.cached.delete(sku);
  }

  /**
   * Availability of each known SKU, in the order asked, warehouses nearest-first for the region.
   * Unknown SKUs are left out.
   */
  async availability(skus: readonly string[], region: Region): Promise<SkuAvailability[]> {
    const found = new Map<string, StockItem>();
    const missing: string[] = [];
    for (const sku of skus) {
      const item = this.cached.get(sku);
      if (item) found.set(sku, item);
      else missing.push(sku);
    }
    if (missing.length > 0) {
      for (const [sku, item] of await this.stock.findBySkus(missing)) {
        this.cached.set(sku, item);
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
}

function toAvailability(item: StockItem, region: Region): SkuAvailability {
  const warehouses = REGION_WAREHOUSES[region].map((warehouseId) => ({
    warehouseId,
    available: availableIn(item.warehouses[warehouseId]),
  }));
  return {
    sku: item.sku,
    available: warehouses.reduce((sum, w) => sum + w.available, 0),
    warehouses,
  };
}
