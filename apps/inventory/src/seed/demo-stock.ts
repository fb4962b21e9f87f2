import type { DemoProduct } from '@mercato/demo-data';
import { newStockItem, type StockItem } from '../stock/stock.model';

/**
 * The stock items of a demo product's SKUs: each variant's generated stock per warehouse, all
 * of it available. Deterministic, so the catalog and inventory seeds agree without talking.
 */
export function demoStockItems(product: DemoProduct): StockItem[] {
  return product.variants.map((variant) =>
    newStockItem({
      sku: variant.sku,
      productId: product.productId,
      variantId: variant.variantId,
      onHand: variant.stock,
    }),
  );
}
