import { Injectable } from '@nestjs/common';
import {
  BrowseProducts,
  GetAvailability,
  GetProduct,
  ListCategories,
  type Region,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import type { ProductDetailResponse } from './catalog.dto';

/**
 * The gateway's view of the catalog: asks catalog and inventory over the bus and composes
 * their answers into the public shapes of API.md.
 */
@Injectable()
export class CatalogGatewayService {
  constructor(private readonly bus: MessageBus) {}

  categories(): Promise<ResponseOf<typeof ListCategories>> {
    return this.bus.request(ListCategories, {});
  }

  browse(query: RequestOf<typeof BrowseProducts>): Promise<ResponseOf<typeof BrowseProducts>> {
    return this.bus.request(BrowseProducts, query);
  }

  /** Detail first (it names the SKUs), then their stock; a read model removes both hops later. */
  async product(productId: string, region: Region): Promise<ProductDetailResponse> {
    const detail = await this.bus.request(GetProduct, { productId, region }, { key: productId });
    const stock = await this.stockOf(
      detail.variants.map((v) => v.sku),
      region,
    );
    const bySku = new Map(stock.map((item) => [item.sku, item.available]));
    return {
      ...detail,
      variants: detail.variants.map((variant) => ({
        ...variant,
        available: bySku.get(variant.sku) ?? 0,
      })),
    };
  }

  /** Stock per variant with each warehouse, nearest first for the region. */
  async availability(productId: string, region: Region) {
    const detail = await this.bus.request(GetProduct, { productId, region }, { key: productId });
    return {
      productId,
      region,
      variants: await this.stockOf(
        detail.variants.map((v) => v.sku),
        region,
      ),
    };
  }

  private async stockOf(skus: string[], region: Region) {
    if (skus.length === 0) return [];
    const { items } = await this.bus.request(GetAvailability, { skus, region });
    return items;
  }
}
