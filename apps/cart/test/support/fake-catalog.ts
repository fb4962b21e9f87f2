import {
  GetAvailability,
  QuoteCart,
  REGION_CURRENCY,
  type CartQuote,
  type CouponStatus,
  type Money,
  type Region,
} from '@mercato/contracts';
import type { MessageBus } from '@mercato/messaging';

interface FakeSku {
  productId: string;
  /** Minor units per region; a region missing is one where the SKU is not sold. */
  prices: Partial<Record<Region, number>>;
  /** Units available in every region. */
  stock: number;
}

/**
 * Catalog's `QuoteCart` and inventory's `GetAvailability` as small in-memory answers, for cart
 * specs: list prices per region, stock per SKU, and coupons whose status the spec sets. An
 * `applied` coupon takes 10% off every line.
 */
export class FakeCatalog {
  readonly skus = new Map<string, FakeSku>();
  readonly coupons = new Map<string, CouponStatus>();
  /** The customerId of every quote, in order (per-customer coupon limits need it). */
  readonly quotedFor: (string | undefined)[] = [];

  sell(sku: string, prices: Partial<Record<Region, number>>, stock = 100): this {
    this.skus.set(sku, { productId: `product-${sku}`, prices, stock });
    return this;
  }

  register(bus: MessageBus): void {
    bus.answer(QuoteCart, async (request) => {
      this.quotedFor.push(request.customerId);
      return this.quote(request.region, request.items, request.coupons);
    });
    bus.answer(GetAvailability, async (request) => ({
      items: request.skus.flatMap((sku) => {
        const known = this.skus.get(sku);
        return known
          ? [
              {
                sku,
                available: known.stock,
                warehouses: [{ warehouseId: 'us-east' as const, available: known.stock }],
              },
            ]
          : [];
      }),
    }));
  }

  private quote(
    region: Region,
    items: { sku: string; quantity: number }[],
    codes: string[],
  ): CartQuote {
    const currency = REGION_CURRENCY[region];
    const money = (amount: number): Money => ({ amount, currency });
    const coupons = [...new Set(codes.map((c) => c.toUpperCase()))].map((code) => ({
      code,
      status: this.coupons.get(code) ?? ('unknown' as const),
      promotionId: this.coupons.has(code) ? `promo-${code}` : null,
    }));
    const percentOff = coupons.some((c) => c.status === 'applied') ? 10 : 0;
    const unavailableSkus: string[] = [];
    const lines = items.flatMap(({ sku, quantity }) => {
      const known = this.skus.get(sku);
      const price = known?.prices[region];
      if (!known || price === undefined) {
        unavailableSkus.push(sku);
        return [];
      }
      const listTotal = price * quantity;
      const discount = Math.round((listTotal * percentOff) / 100);
      return [
        {
          sku,
          productId: known.productId,
          variantId: `${known.productId}-1`,
          sellerId: 'mercato',
          title: `Product ${sku}`,
          attributes: { size: 'M' },
          imageUrl: null,
          quantity,
          listPrice: money(price),
          listTotal: money(listTotal),
          discount: money(discount),
          lineTotal: money(listTotal - discount),
          appliedPromotions: discount
            ? [{ promotionId: 'promo-coupon', name: '10% coupon', amount: money(discount) }]
            : [],
        },
      ];
    });
    const sum = (pick: (l: (typeof lines)[number]) => Money) =>
      money(lines.reduce((total, line) => total + pick(line).amount, 0));
    return {
      region,
      currency,
      lines,
      unavailableSkus,
      subtotal: sum((l) => l.listTotal),
      discount: sum((l) => l.discount),
      total: sum((l) => l.lineTotal),
      coupons,
    };
  }
}
