import { Injectable } from '@nestjs/common';
import {
  REGION_CURRENCY,
  type CartQuote,
  type Money,
  type PriceLine,
  type Region,
} from '@mercato/contracts';
import { CategoriesService } from '../categories/categories.service';
import type { StoredProduct } from '../products/products.repository';
import { ProductsService } from '../products/products.service';
import { PromotionsService } from '../promotions/promotions.service';

export interface CartQuoteQuery {
  region: Region;
  customerId?: string;
  items: { sku: string; quantity: number }[];
  coupons: string[];
}

/** A requested SKU found in a product sold in the region. */
interface SoldSku {
  sku: string;
  quantity: number;
  product: StoredProduct;
  variantId: string;
  attributes: Record<string, string>;
  listPrice: Money;
  categoryPath: string[];
}

/**
 * Prices a cart's SKUs for a region (`QuoteCart`): each SKU is resolved through its claim to
 * the product that sells it, priced at the region's list price, and the lines go through the
 * same promotions engine as product detail and `PriceCart`, so a cart never shows another price
 * than the product page.
 */
@Injectable()
export class CartQuoteService {
  constructor(
    private readonly products: ProductsService,
    private readonly categories: CategoriesService,
    private readonly promotions: PromotionsService,
  ) {}

  async quote(query: CartQuoteQuery): Promise<CartQuote> {
    const resolved = await Promise.all(
      query.items.map((item) => this.resolve(item.sku, item.quantity, query.region)),
    );
    const sold = resolved.filter((line): line is SoldSku => line !== undefined);
    const unavailableSkus = query.items
      .filter((_, i) => resolved[i] === undefined)
      .map((item) => item.sku);
    const lines: PriceLine[] = sold.map((line) => ({
      sku: line.sku,
      productId: line.product.meta.productId,
      brand: line.product.meta.brand,
      categoryPath: line.categoryPath,
      quantity: line.quantity,
      unitPrice: line.listPrice,
    }));
    const priced = await this.promotions.priceCart({
      region: query.region,
      customerId: query.customerId,
      lines,
      coupons: query.coupons,
    });
    return {
      region: query.region,
      currency: REGION_CURRENCY[query.region],
      lines: sold.map((line, i) => {
        const pricedLine = priced.lines[i];
        const { meta } = line.product;
        return {
          sku: line.sku,
          productId: meta.productId,
          variantId: line.variantId,
          sellerId: meta.sellerId,
          title: meta.title,
          attributes: line.attributes,
          imageUrl: meta.images[0] ?? null,
          quantity: line.quantity,
          listPrice: line.listPrice,
          listTotal: pricedLine.listTotal,
          discount: pricedLine.discount,
          lineTotal: pricedLine.lineTotal,
          appliedPromotions: pricedLine.appliedPromotions,
        };
      }),
      unavailableSkus,
      subtotal: priced.subtotal,
      discount: priced.discount,
      total: priced.total,
      coupons: priced.coupons,
    };
  }

  /** The product and variant selling `sku` in `region`, or undefined when none does. */
  private async resolve(
    sku: string,
    quantity: number,
    region: Region,
  ): Promise<SoldSku | undefined> {
    // A claim can outlive its product (a writer that died mid-create), or name a SKU the
    // product has since dropped: neither is sold.
    const selling = await this.products.productSelling(sku);
    const listPrice = selling?.variant.prices[region];
    if (!selling || !listPrice) return undefined;
    const { product, variant } = selling;
    const path = await this.categories.pathOf(product.meta.categoryId);
    return {
      // Catalog's own spelling, which inventory keys stock by: a SKU asked for in another case
      // comes back as the product spells it.
      sku: variant.sku,
      quantity,
      product,
      variantId: variant.variantId,
      attributes: variant.attributes,
      listPrice,
      categoryPath: path.map((c) => c.categoryId),
    };
  }
}
