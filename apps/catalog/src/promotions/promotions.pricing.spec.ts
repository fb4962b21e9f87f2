import type { CouponStatus, Currency, PriceLine, Promotion, Region } from '@mercato/contracts';
import { percentOf, priceCart, priceProduct, type CouponUsage } from './promotions.pricing';

const NOW = new Date('2025-06-15T12:00:00.000Z');
const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

const LAPTOPS = ['electronics', 'computers', 'laptops'];
const SOFAS = ['home', 'furniture', 'sofas'];

function line(sku: string, amount: number, extra: Partial<PriceLine> = {}): PriceLine {
  const currency: Currency = extra.unitPrice?.currency ?? 'USD';
  return {
    sku,
    productId: `p-${sku}`,
    brand: 'Voltix',
    categoryPath: LAPTOPS,
    quantity: 1,
    ...extra,
    unitPrice: { amount, currency },
  };
}
const jpy = (sku: string, amount: number, extra: Partial<PriceLine> = {}) =>
  line(sku, amount, { ...extra, unitPrice: { amount, currency: 'JPY' } });
const eur = (sku: string, amount: number, extra: Partial<PriceLine> = {}) =>
  line(sku, amount, { ...extra, unitPrice: { amount, currency: 'EUR' } });

type PromotionRule =
  | { kind: 'percentage'; percentOff: number }
  | { kind: 'fixed'; amountOff: Partial<Record<Currency, number>> }
  | { kind: 'buy_x_get_y'; buyQuantity: number; getQuantity: number; getPercentOff: number };

function promo(
  promotionId: string,
  rule: PromotionRule,
  extra: Partial<Omit<Promotion, 'kind'>> = {},
): Promotion {
  return {
    promotionId,
    name: `Promotion ${promotionId}`,
    target: { type: 'all' },
    stacking: 'stackable',
    startsAt: null,
    endsAt: null,
    coupon: null,
    createdBy: 'admin',
    createdAt: '2025-01-01T00:00:00.000Z',
    ...extra,
    ...rule,
  } as Promotion;
}
const pct = (percentOff: number): PromotionRule => ({ kind: 'percentage', percentOff });
const fixed = (amountOff: Partial<Record<Currency, number>>): PromotionRule => ({
  kind: 'fixed',
  amountOff,
});
const bxgy = (buyQuantity: number, getQuantity: number, getPercentOff = 100): PromotionRule => ({
  kind: 'buy_x_get_y',
  buyQuantity,
  getQuantity,
  getPercentOff,
});
const coupon = (
  code: string,
  totalLimit: number | null = null,
  perCustomerLimit: number | null = null,
) => ({
  coupon: { code, totalLimit, perCustomerLimit },
});

interface Case {
  name: string;
  region?: Region;
  lines: PriceLine[];
  promotions: Promotion[];
  coupons?: string[];
  usage?: Record<string, CouponUsage>;
  now?: Date;
  /** Discount per line, in minor units. */
  discounts: number[];
  /** Promotion ids applied per line (checked when given). */
  applied?: string[][];
  total?: number;
  subtotal?: number;
  couponStatuses?: { code: string; status: CouponStatus }[];
}

const cases: Case[] = [
  {
    name: 'percentage by category reaches products in descendant categories only',
    lines: [line('laptop', 1000), line('sofa', 5000, { categoryPath: SOFAS })],
    promotions: [
      promo('elec10', pct(10), { target: { type: 'categories', categoryIds: ['electronics'] } }),
    ],
    discounts: [100, 0],
    applied: [['elec10'], []],
  },
  {
    name: 'fixed amount by brand in USD, per unit',
    lines: [line('a', 2000, { quantity: 2 }), line('b', 2000, { brand: 'Nimbus' })],
    promotions: [
      promo('voltix5', fixed({ USD: 500, EUR: 450, JPY: 700 }), {
        target: { type: 'brands', brands: ['Voltix'] },
      }),
    ],
    discounts: [1000, 0],
    total: 5000,
  },
  {
    name: 'fixed amount does not apply in a region whose currency it lacks',
    region: 'ap',
    lines: [jpy('a', 5000)],
    promotions: [promo('usdOnly', fixed({ USD: 500 }))],
    discounts: [0],
  },
  {
    name: 'fixed amount in EUR for the eu region',
    region: 'eu',
    lines: [eur('a', 2000)],
    promotions: [promo('f', fixed({ USD: 500, EUR: 450 }))],
    discounts: [450],
    total: 1550,
  },
  {
    name: 'SKU target discounts only that SKU',
    lines: [line('A', 1000), line('B', 1000)],
    promotions: [promo('skuB', pct(20), { target: { type: 'skus', skus: ['B'] } })],
    discounts: [0, 200],
  },
  {
    name: 'buy 2 get 1: the cheapest unit is free, across lines of the target',
    lines: [line('a', 3000), line('b', 1000), line('c', 2000)],
    promotions: [promo('b2g1', bxgy(2, 1))],
    discounts: [0, 1000, 0],
    total: 5000,
  },
  {
    name: 'buy 2 get 1 with 6 units of one line: two free',
    lines: [line('a', 700, { quantity: 6 })],
    promotions: [promo('b2g1', bxgy(2, 1))],
    discounts: [1400],
  },
  {
    name: 'buy X get Y gives nothing with too few units',
    lines: [line('a', 3000, { quantity: 2 })],
    promotions: [promo('b2g1', bxgy(2, 1))],
    discounts: [0],
    applied: [[]],
  },
  {
    name: 'buy 1 get 1 at 50% off discounts the cheaper line half',
    lines: [line('a', 999), line('b', 4000, { sku: 'b' })],
    promotions: [promo('bogo50', bxgy(1, 1, 50))],
    discounts: [500, 0],
  },
  {
    name: 'stackable promotions add up',
    lines: [line('a', 1000)],
    promotions: [promo('p10', pct(10)), promo('f100', fixed({ USD: 100 }))],
    discounts: [200],
    applied: [['f100', 'p10']],
  },
  {
    name: 'an exclusive promotion wins when it is better than the stackable sum',
    lines: [line('a', 1000)],
    promotions: [
      promo('s10', pct(10)),
      promo('s5', pct(5)),
      promo('x25', pct(25), { stacking: 'exclusive' }),
    ],
    discounts: [250],
    applied: [['x25']],
  },
  {
    name: 'the stackable sum wins when it is better than the exclusive',
    lines: [line('a', 1000)],
    promotions: [
      promo('s10a', pct(10)),
      promo('s10b', pct(10)),
      promo('x15', pct(15), { stacking: 'exclusive' }),
    ],
    discounts: [200],
    applied: [['s10a', 's10b']],
  },
  {
    name: 'of two exclusives only the better one applies',
    lines: [line('a', 1000)],
    promotions: [
      promo('x10', pct(10), { stacking: 'exclusive' }),
      promo('x30', pct(30), { stacking: 'exclusive' }),
    ],
    discounts: [300],
    applied: [['x30']],
  },
  {
    name: 'on a tie between the stackable sum and the best exclusive, the stackables win',
    lines: [line('a', 1000)],
    promotions: [
      promo('s10', pct(10)),
      promo('s5', pct(5)),
      promo('x15', pct(15), { stacking: 'exclusive' }),
    ],
    discounts: [150],
    applied: [['s10', 's5']],
  },
  {
    name: 'stackable percentages are each taken of the list price, not compounded',
    lines: [line('a', 1000)],
    promotions: [promo('p10', pct(10)), promo('p20', pct(20))],
    discounts: [300],
  },
  {
    name: 'stacking is decided per line: one line takes the exclusive, another the stackables',
    lines: [line('a', 1000), line('b', 1000, { sku: 'b', brand: 'Nimbus' })],
    promotions: [
      promo('s10', pct(10)),
      promo('x30voltix', pct(30), {
        stacking: 'exclusive',
        target: { type: 'brands', brands: ['Voltix'] },
      }),
    ],
    discounts: [300, 100],
    applied: [['x30voltix'], ['s10']],
  },
  {
    name: 'when the exclusive and the stackable sum both cover the price, the stackables win',
    lines: [line('a', 1000)],
    promotions: [
      promo('f800', fixed({ USD: 800 })),
      promo('f700', fixed({ USD: 700 })),
      promo('x1200', fixed({ USD: 1200 }), { stacking: 'exclusive' }),
    ],
    discounts: [1000],
    applied: [['f700', 'f800']],
  },
  {
    name: 'a promotion that has not started yet does not apply',
    lines: [line('a', 1000)],
    promotions: [promo('later', pct(10), { startsAt: at(HOUR) })],
    discounts: [0],
  },
  {
    name: 'a promotion applies from its start instant, inside its window',
    lines: [line('a', 1000)],
    promotions: [promo('now', pct(10), { startsAt: at(0), endsAt: at(HOUR) })],
    discounts: [100],
  },
  {
    name: 'a promotion no longer applies at its end instant (end exclusive)',
    lines: [line('a', 1000)],
    promotions: [promo('over', pct(10), { startsAt: at(-HOUR), endsAt: at(0) })],
    discounts: [0],
  },
  {
    name: 'a coupon-gated promotion does not apply without its code',
    lines: [line('a', 1000)],
    promotions: [promo('c', pct(20), coupon('SAVE20'))],
    discounts: [0],
    couponStatuses: [],
  },
  {
    name: 'a coupon-gated promotion applies with its code, typed in any case',
    lines: [line('a', 1000)],
    promotions: [promo('c', pct(20), coupon('SAVE20'))],
    coupons: [' save20 '],
    discounts: [200],
    couponStatuses: [{ code: 'SAVE20', status: 'applied' }],
  },
  {
    name: 'coupon refusals: unknown, expired, used up, used by this customer, nothing to discount',
    lines: [line('a', 1000)],
    promotions: [
      promo('old', pct(20), { ...coupon('OLD'), endsAt: at(-1) }),
      promo('gone', pct(20), coupon('GONE', 5)),
      promo('mine', pct(20), coupon('ONCE', null, 1)),
      promo('sofas', pct(20), {
        ...coupon('SOFAS'),
        target: { type: 'categories', categoryIds: ['home'] },
      }),
    ],
    coupons: ['NOPE', 'OLD', 'GONE', 'ONCE', 'SOFAS'],
    usage: { GONE: { used: 5, byCustomer: 0 }, ONCE: { used: 3, byCustomer: 1 } },
    discounts: [0],
    couponStatuses: [
      { code: 'NOPE', status: 'unknown' },
      { code: 'OLD', status: 'expired' },
      { code: 'GONE', status: 'exhausted' },
      { code: 'ONCE', status: 'customer_limit' },
      { code: 'SOFAS', status: 'not_applicable' },
    ],
  },
  {
    name: 'the discount never exceeds the price',
    lines: [line('a', 1000, { quantity: 2 })],
    promotions: [promo('f', fixed({ USD: 800 })), promo('p', pct(50))],
    discounts: [2000],
    total: 0,
  },
  {
    name: 'JPY has no minor unit: 15% of ¥999 is ¥150',
    region: 'ap',
    lines: [jpy('a', 999)],
    promotions: [promo('p15', pct(15))],
    discounts: [150],
    total: 849,
  },
  {
    name: 'USD rounds half up: 15% of $9.99 (149.85 cents) is 150 cents, per unit',
    lines: [line('a', 999, { quantity: 3 })],
    promotions: [promo('p15', pct(15))],
    discounts: [450],
    total: 2547,
  },
  {
    name: 'EUR percentage: 12% of €12.35 (148.2 cents) rounds down to 148',
    region: 'eu',
    lines: [eur('a', 1235)],
    promotions: [promo('p12', pct(12))],
    discounts: [148],
  },
  {
    name: 'multi-line cart: totals add up across lines and promotions',
    lines: [
      line('laptop', 100_000),
      line('mouse', 2_500, { quantity: 2, brand: 'Nimbus' }),
      line('sofa', 50_000, { categoryPath: SOFAS, brand: 'Homely' }),
    ],
    promotions: [
      promo('elec10', pct(10), { target: { type: 'categories', categoryIds: ['electronics'] } }),
      promo('nimbus', fixed({ USD: 500 }), { target: { type: 'brands', brands: ['Nimbus'] } }),
      promo('homeX', pct(20), {
        stacking: 'exclusive',
        target: { type: 'categories', categoryIds: ['furniture'] },
      }),
    ],
    discounts: [10_000, 1_500, 10_000],
    subtotal: 155_000,
    total: 133_500,
  },
];

describe('priceCart', () => {
  it.each(cases)('$name', (c) => {
    const result = priceCart({
      region: c.region ?? 'us',
      lines: c.lines,
      promotions: c.promotions,
      coupons: c.coupons ?? [],
      usage: new Map(Object.entries(c.usage ?? {})),
      now: c.now ?? NOW,
    });

    expect(result.lines.map((l) => l.discount.amount)).toEqual(c.discounts);
    if (c.applied) {
      expect(result.lines.map((l) => l.appliedPromotions.map((p) => p.promotionId).sort())).toEqual(
        c.applied,
      );
    }
    if (c.total !== undefined) expect(result.total.amount).toBe(c.total);
    if (c.subtotal !== undefined) expect(result.subtotal.amount).toBe(c.subtotal);
    if (c.couponStatuses) {
      expect(result.coupons.map(({ code, status }) => ({ code, status }))).toEqual(
        c.couponStatuses,
      );
    }
    // Invariants of every answer.
    const currency = result.total.currency;
    for (const l of result.lines) {
      expect(l.listTotal.amount).toBe(l.unitPrice.amount * l.quantity);
      expect(l.lineTotal.amount).toBe(l.listTotal.amount - l.discount.amount);
      expect(l.lineTotal.amount).toBeGreaterThanOrEqual(0);
      expect(l.appliedPromotions.reduce((s, p) => s + p.amount.amount, 0)).toBe(l.discount.amount);
      expect(l.lineTotal.currency).toBe(currency);
    }
    expect(result.total.amount).toBe(result.subtotal.amount - result.discount.amount);
  });

  it('refuses lines priced in another currency than the region’s', () => {
    expect(() =>
      priceCart({ region: 'eu', lines: [line('a', 100)], promotions: [], coupons: [], now: NOW }),
    ).toThrow(/USD/);
  });

  it('caps a line at its price: the larger promotions keep their amounts, the last is cut', () => {
    const [capped] = priceCart({
      region: 'us',
      lines: [line('a', 1000)],
      promotions: [
        promo('f300', fixed({ USD: 300 })),
        promo('f800', fixed({ USD: 800 })),
        promo('f100', fixed({ USD: 100 })),
      ],
      coupons: [],
      now: NOW,
    }).lines;
    expect(capped.appliedPromotions.map((p) => [p.promotionId, p.amount.amount])).toEqual([
      ['f800', 800],
      ['f300', 200],
    ]);
    expect(capped.lineTotal.amount).toBe(0);
  });

  it('rounds exact halves up', () => {
    expect(percentOf(5, 10)).toBe(1);
    expect(percentOf(4, 10)).toBe(0);
    expect(percentOf(999, 100)).toBe(999);
  });
});

describe('priceProduct', () => {
  const product = {
    productId: 'p-1',
    brand: 'Voltix',
    categoryPath: LAPTOPS,
    variants: [
      { sku: 'A', price: { amount: 1000, currency: 'USD' as const } },
      { sku: 'B', price: { amount: 2000, currency: 'USD' as const } },
    ],
  };

  it('prices one unit after automatic promotions, ignoring coupons and multi-buys', () => {
    const pricing = priceProduct(
      product,
      [
        promo('elec10', pct(10), { target: { type: 'categories', categoryIds: ['computers'] } }),
        promo('coupon', pct(50), coupon('HALF')),
        promo('b1g1', bxgy(1, 1)),
        promo('skuB', fixed({ USD: 300 }), { target: { type: 'skus', skus: ['B'] } }),
      ],
      'us',
      NOW,
    );
    expect(pricing.variants).toEqual([
      {
        sku: 'A',
        price: { amount: 900, currency: 'USD' },
        listPrice: { amount: 1000, currency: 'USD' },
        promotions: [{ promotionId: 'elec10', name: 'Promotion elec10' }],
      },
      {
        sku: 'B',
        price: { amount: 1500, currency: 'USD' },
        listPrice: { amount: 2000, currency: 'USD' },
        promotions: [
          { promotionId: 'skuB', name: 'Promotion skuB' },
          { promotionId: 'elec10', name: 'Promotion elec10' },
        ],
      },
    ]);
  });

  it('says prices hold until the next start or end of a promotion of this product', () => {
    const pricing = priceProduct(
      product,
      [
        promo('running', pct(10), { endsAt: at(5 * HOUR) }),
        promo('soon', pct(10), { startsAt: at(2 * HOUR), endsAt: at(9 * HOUR) }),
        promo('otherBrand', pct(10), {
          target: { type: 'brands', brands: ['Nimbus'] },
          startsAt: at(HOUR),
        }),
        promo('couponOnly', pct(10), { ...coupon('X1X'), startsAt: at(HOUR / 2) }),
      ],
      'us',
      NOW,
    );
    expect(pricing.pricesValidUntil).toBe(at(2 * HOUR));
    expect(pricing.variants[0].price.amount).toBe(900);
  });

  it('has no expiry when no promotion of the product will change', () => {
    expect(
      priceProduct(product, [promo('always', pct(10))], 'us', NOW).pricesValidUntil,
    ).toBeNull();
  });
});
