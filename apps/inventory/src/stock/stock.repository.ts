import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WAREHOUSES, type WarehouseId } from '@mercato/contracts';
import type { DemoProduct } from '@mercato/demo-data';
import { batchGet, TableNames } from '@mercato/persistence';

export interface WarehouseStock {
  onHand: number;
  reserved: number;
}

/**
 * One item per SKU holding every warehouse's stock, so a reservation, a restock or a transfer
 * between two warehouses is a single conditional UpdateItem on one item.
 */
export interface StockItem {
  sku: string;
  productId: string;
  variantId: string;
  warehouses: Record<WarehouseId, WarehouseStock>;
  version: number;
}

/** All Inventory-table I/O. */
@Injectable()
export class StockRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /** The stock items of a demo product's SKUs (deterministic). */
  itemsFor(product: DemoProduct): StockItem[] {
    return product.variants.map((variant) => ({
      sku: variant.sku,
      productId: product.productId,
      variantId: variant.variantId,
      warehouses: Object.fromEntries(
        WAREHOUSES.map((w) => [w, { onHand: variant.stock[w], reserved: 0 }]),
      ) as Record<WarehouseId, WarehouseStock>,
      version: 1,
    }));
  }

  /** Stock items of the given SKUs (BatchGetItem); unknown SKUs are absent from the map. */
  async findBySkus(skus: readonly string[]): Promise<Map<string, StockItem>> {
    const unique = [...new Set(skus)];
    const items = await batchGet<StockItem>(
      this.doc,
      this.tables.inventory,
      unique.map((sku) => ({ sku })),
    );
    return new Map(items.map((item) => [item.sku, item]));
  }
}
