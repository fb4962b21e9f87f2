import { Injectable } from '@nestjs/common';
import {
  foldedSku,
  GetAvailability,
  QuoteCart,
  type CartQuote,
  type Region,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import type { CartLine } from '../carts/cart.model';

/** Most SKUs one GetAvailability request may name. */
const AVAILABILITY_BATCH = 100;

/**
 * What the cart asks other services: prices from catalog (`QuoteCart`, the promotions engine
 * product detail uses) and stock from inventory (`GetAvailability`).
 */
@Injectable()
export class CartFacts {
  constructor(private readonly bus: MessageBus) {}

  /** The lines and coupons priced in `region` now (customerId: per-customer coupon limits). */
  quote(
    cart: { lines: readonly Pick<CartLine, 'sku' | 'quantity'>[]; coupons: readonly string[] },
    region: Region,
    customerId?: string,
  ): Promise<CartQuote> {
    return this.bus.request(QuoteCart, {
      region,
      ...(customerId ? { customerId } : {}),
      items: cart.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
      coupons: [...cart.coupons],
    });
  }

  /** Units of each SKU available in the region, all warehouses together (0 when unknown). */
  async availability(skus: readonly string[], region: Region): Promise<(sku: string) => number> {
    // Inventory keys stock by the SKU as catalog spelled it: ask with the cart's spelling.
    const unique = [...new Set(skus)];
    const available = new Map<string, number>();
    for (let i = 0; i < unique.length; i += AVAILABILITY_BATCH) {
      const { items } = await this.bus.request(GetAvailability, {
        skus: unique.slice(i, i + AVAILABILITY_BATCH),
        region,
      });
      for (const item of items) {
        available.set(foldedSku(item.sku), item.available);
      }
    }
    return (sku) => available.get(foldedSku(sku)) ?? 0;
  }
}
