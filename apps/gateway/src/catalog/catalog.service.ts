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
 * their answers into the public shapes of docs/api.md. Each call is given the correlation id of the
 * request it serves: the gateway keeps no correlation scope (ADR 0012).
 */
@Injectable()
export class CatalogGatewayService {
  constructor(private readonly bus: MessageBus) {}

  categories(correlationId: string): Promise<ResponseOf<typeof ListCategories>> {
    return this.bus.request(ListCategories, {}, { correlationId });
  }

  browse(
    query: RequestOf<typeof BrowseProducts>,
    correlationId: string,
  ): Promise<ResponseOf<typeof BrowseProducts>> {
    return this.bus.request(BrowseProducts, query, { correlationId });
  }

  /** Detail first (it names the SKUs), then their stock; a read model removes both hops later. */
  async product(
    productId: string,
    region: Region,
    correlationId: string,
  ): Promise<ProductDetailResponse> {
    const detail = await this.detailOf(productId, region, correlationId);
    const stock = await this.stockOf(
      detail.variants.map((v) => v.sku),
      region,
      correlationId,
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
  async availability(productId: string, region: Region, correlationId: string) {
    const detail = await this.detailOf(productId, region, correlationId);
    return {
      productId,
      region,
      variants: await this.stockOf(
        detail.variants.map((v) => v.sku),
        region,
        correlationId,
      ),
    };
  }

  private detailOf(productId: string, region: Region, correlationId: string) {
    return this.bus.request(GetProduct, { productId, region }, { key: productId, correlationId });
  }

  private async stockOf(skus: string[], region: Region, correlationId: string) {
    if (skus.length === 0) return [];
    const { items } = await this.bus.request(GetAvailability, { skus, region }, { correlationId });
    return items;
  }
}
