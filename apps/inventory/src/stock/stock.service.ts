import { Injectable } from '@nestjs/common';
import { REGION_WAREHOUSES, type Region, type SkuAvailability } from '@mercato/contracts';
import { StockRepository, type StockItem } from './stock.repository';

/** What can be sold: on hand minus reserved, never below zero. */
export const availableIn = (stock: { onHand: number; reserved: number } | undefined): number =>
  Math.max(0, (stock?.onHand ?? 0) - (stock?.reserved ?? 0));

@Injectable()
export class StockService {
  constructor(private readonly stock: StockRepository) {}

  /**
   * Availability of each known SKU, in the order asked, warehouses nearest-first for the region.
   * Unknown SKUs are left out.
   */
  async availability(skus: readonly string[], region: Region): Promise<SkuAvailability[]> {
    const found = await this.stock.findBySkus(skus);
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
