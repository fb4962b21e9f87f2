import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { LRUCache } from 'lru-cache';
import { inventoryRuntimeConfig } from '../inventory.config';
import type { StockItem } from './stock.model';

/**
 * Stock items as last read or written by this process. A write made here replaces the entry with
 * the item the write returned (its stock exact; its records may lack other writes' ones, which
 * sends a command looking for one to DynamoDB), so stock is exact for own writes; the short
 * TTL (INVENTORY_CACHE_TTL_MS) bounds how long it can miss another replica's writes. Writes never
 * trust this cache: their conditions are checked by DynamoDB, and a failed one re-reads.
 */
@Injectable()
export class StockCache {
  /** Each item with when it was last read from or written to DynamoDB (ms, performance clock). */
  private readonly items: LRUCache<string, { item: StockItem; seenAt: number }>;

  constructor(@InjectConfig() config: object) {
    const { INVENTORY_CACHE_TTL_MS: ttl } = inventoryRuntimeConfig(config);
    this.items = new LRUCache<string, { item: StockItem; seenAt: number }>({
      max: 100_000,
      ...(ttl > 0 ? { ttl } : {}),
    });
  }

  get(sku: string): StockItem | undefined {
    return this.items.get(sku)?.item;
  }

  /**
   * The cached item if it came from DynamoDB within `ms`: recent enough to refuse a reservation
   * of a sold-out SKU without reading it again (a hot SKU's refusals would otherwise each read
   * the whole item). A restock made by another replica in that window is missed at worst.
   */
  recent(sku: string, ms: number): StockItem | undefined {
    const entry = this.items.get(sku);
    return entry && performance.now() - entry.seenAt <= ms ? entry.item : undefined;
  }

  /**
   * Keeps `item` unless a newer version is cached: concurrent writes can return out of order, and
   * an older answer must not replace a newer one.
   */
  remember(item: StockItem): void {
    const cached = this.items.peek(item.sku);
    if (cached && cached.item.version > item.version) return;
    this.items.set(item.sku, { item, seenAt: performance.now() });
  }

  forget(skus?: readonly string[]): void {
    if (!skus) this.items.clear();
    else for (const sku of skus) this.items.delete(sku);
  }
}
