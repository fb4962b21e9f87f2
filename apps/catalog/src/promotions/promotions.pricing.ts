import {
  REGION_CURRENCY,
  type CouponStatus,
  type Currency,
  type Money,
  type PricedCart,
  type PriceLine,
  type Promotion,
  type PromotionTarget,
  type Region,
} from '@mercato/contracts';

/**
 * The pricing engine: pure functions of (lines, promotions, coupons, usage, now). No I/O and no
 * clock of its own, so the cart, the product page and the tests all get the same answer.
 *
 * Rules (also what the admin UI should tell the merchant):
 * - Every amount is an integer number of the currency's minor units (cents, or whole yen: JPY
 *   has no minor unit), so "round to the minor unit" is "round to an integer".
 * - A percentage is taken of the UNIT price and rounded half up (15% of 999 = 149.85 → 150),
 *   then multiplied by the quantity: the cart always equals quantity × the price shown on the
 *   product page.
 * - `fixed` takes its amount in the region's currency off each unit; with no amount in that
 *   currency the promotion does not apply there.
 * - `buy_x_get_y` counts the units of every line it targets together (two different shirts
 *   count towards "buy 2 get 1"). Of N units, floor(N / (X+Y)) · Y get the discount, plus any
 *   units beyond X in an incomplete group (buy 1 get 2 with 2 units: the 2nd is free). The
 *   cheapest units get it first.
 * - Stacking, decided per line: the sum of all applicable `stackable` promotions (each computed
 *   on the list price, not compounded) against the best single `exclusive` one; the customer
 *   gets the larger. On a tie the stackable set wins.
 * - A line's discount never exceeds its list total; when capped, the larger promotions keep
 *   their amounts and the last ones are cut.
 * - Windows are half-open: active at `startsAt`, no longer at `endsAt`.
 * - A coupon-gated promotion applies only while its code is applied and neither used up overall
 *   nor by this customer (the usage is for display; redemption at checkout is the exact check).
 */

export interface CouponUsage {
  /** Redemptions of the code by everyone. */
  used: number;
  /** Redemptions of the code by the customer pricing the cart. */
  byCustomer: number;
}

export interface CartPricingInput {
  region: Region;
  lines: readonly PriceLine[];
  promotions: readonly Promotion[];
  /** Codes as the customer typed them; matched case-insensitively. */
  coupons: readonly string[];
  /** Usage per coupon code (upper case); missing = never used. */
  usage?: ReadonlyMap<string, CouponUsage>;
  now: Date;
}

export interface PricingProduct {
  productId: string;
  brand: string;
  /** Ancestor category ids, department first, ending with the product's own category. */
  categoryPath: readonly string[];
  variants: readonly { sku: string; price: Money }[];
}

export interface VariantPricing {
  sku: string;
  /** One unit after the automatic (coupon-less) promotions. */
  price: Money;
  listPrice: Money;
  promotions: { promotionId: string; name: string }[];
}

export interface ProductPricing {
  variants: VariantPricing[];
  /** The next instant a promotion of this product starts or ends (ISO), null when none will. */
  pricesValidUntil: string | null;
}

export const normalizeCouponCode = (code: string): string => code.trim().toUpperCase();

/** `percent`% of `amount` minor units, rounded half up to a whole minor unit. */
export const percentOf = (amount: number, percent: number): number =>
  Math.floor((amount * percent + 50) / 100);

export function isActiveAt(promotion: Promotion, nowMs: number): boolean {
  return (
    (promotion.startsAt === null || Date.parse(promotion.startsAt) <= nowMs) &&
    (promotion.endsAt === null || nowMs < Date.parse(promotion.endsAt))
  );
}

/** Whether the promotion can discount anything priced in `currency`. */
export function appliesInCurrency(promotion: Promotion, currency: Currency): boolean {
  return promotion.kind !== 'fixed' || promotion.amountOff[currency] !== undefined;
}

export function targetMatches(
  target: PromotionTarget,
  item: { sku: string; brand: string; categoryPath: readonly string[] },
): boolean {
  switch (target.type) {
    case 'all':
      return true;
    case 'categories':
      return item.categoryPath.some((id) => target.categoryIds.includes(id));
    case 'brands':
      return target.brands.includes(item.brand);
    case 'skus':
      return target.skus.includes(item.sku);
  }
}

/** The discount `promotion` gives each line (same order as `lines`), before stacking and caps. */
export function lineDiscounts(
  promotion: Promotion,
  lines: readonly PriceLine[],
  currency: Currency,
): number[] {
  const matching = lines.map((line) => targetMatches(promotion.target, line));
  switch (promotion.kind) {
    case 'percentage':
      return lines.map((line, i) =>
        matching[i] ? percentOf(line.unitPrice.amount, promotion.percentOff) * line.quantity : 0,
      );
    case 'fixed': {
      const off = promotion.amountOff[currency];
      if (off === undefined) return lines.map(() => 0);
      return lines.map((line, i) =>
        matching[i] ? Math.min(off, line.unitPrice.amount) * line.quantity : 0,
      );
    }
    case 'buy_x_get_y': {
      const discounts = lines.map(() => 0);
      const { buyQuantity: x, getQuantity: y } = promotion;
      const units = lines.reduce((n, line, i) => n + (matching[i] ? line.quantity : 0), 0);
      let free = Math.floor(units / (x + y)) * y + Math.max(0, (units % (x + y)) - x);
      // Cheapest units first; equal prices keep the cart's order, so the result is stable.
      const cheapestFirst = lines
        .map((line, index) => ({ line, index }))
        .filter(({ index }) => matching[index])
        .sort((a, b) => a.line.unitPrice.amount - b.line.unitPrice.amount || a.index - b.index);
      for (const { line, index } of cheapestFirst) {
        if (free === 0) break;
        const taken = Math.min(free, line.quantity);
        discounts[index] = percentOf(line.unitPrice.amount, promotion.getPercentOff) * taken;
        free -= taken;
      }
      return discounts;
    }
  }
}

interface Candidate {
  promotion: Promotion;
  amount: number;
}

/** Per line: the stackable sum or the best exclusive, whichever is larger; capped at `limit`. */
function chooseForLine(candidates: Candidate[], limit: number): Candidate[] {
  const byAmount = (a: Candidate, b: Candidate) =>
    b.amount - a.amount || a.promotion.promotionId.localeCompare(b.promotion.promotionId);
  const stackable = candidates.filter((c) => c.promotion.stacking === 'stackable').sort(byAmount);
  const bestExclusive = candidates
    .filter((c) => c.promotion.stacking === 'exclusive')
    .sort(byAmount)[0];
  const stackedSum = stackable.reduce((sum, c) => sum + c.amount, 0);
  const chosen =
    bestExclusive && Math.min(bestExclusive.amount, limit) > Math.min(stackedSum, limit)
      ? [bestExclusive]
      : stackable;
  let left = limit;
  const capped: Candidate[] = [];
  for (const c of chosen) {
    const amount = Math.min(c.amount, left);
    if (amount <= 0) break;
    capped.push({ promotion: c.promotion, amount });
    left -= amount;
  }
  return capped;
}

type CouponCheck =
  | { code: string; status: Exclude<CouponStatus, 'applied' | 'not_applicable'>; promotion: null }
  | {
      code: string;
      status: Exclude<CouponStatus, 'applied' | 'not_applicable'>;
      promotion: Promotion;
    }
  | { code: string; status: 'usable'; promotion: Promotion };

function checkCoupon(
  code: string,
  promotions: readonly Promotion[],
  usage: ReadonlyMap<string, CouponUsage> | undefined,
  nowMs: number,
): CouponCheck {
  const promotion = promotions.find((p) => p.coupon?.code === code);
  if (!promotion?.coupon) return { code, status: 'unknown', promotion: null };
  if (promotion.startsAt !== null && nowMs < Date.parse(promotion.startsAt))
    return { code, status: 'not_started', promotion };
  if (promotion.endsAt !== null && nowMs >= Date.parse(promotion.endsAt))
    return { code, status: 'expired', promotion };
  const used = usage?.get(code) ?? { used: 0, byCustomer: 0 };
  const { totalLimit, perCustomerLimit } = promotion.coupon;
  if (totalLimit !== null && used.used >= totalLimit)
    return { code, status: 'exhausted', promotion };
  if (perCustomerLimit !== null && used.byCustomer >= perCustomerLimit)
    return { code, status: 'customer_limit', promotion };
  return { code, status: 'usable', promotion };
}

/** Prices cart lines: per line the chosen promotions, then totals and each coupon's status. */
export function priceCart(input: CartPricingInput): PricedCart {
  const currency = REGION_CURRENCY[input.region];
  const nowMs = input.now.getTime();
  for (const line of input.lines) {
    if (line.unitPrice.currency !== currency) {
      throw new Error(
        `Line ${line.sku} is priced in ${line.unitPrice.currency}, region ${input.region} uses ${currency}`,
      );
    }
  }
  const money = (amount: number): Money => ({ amount, currency });

  const codes = [...new Set(input.coupons.map(normalizeCouponCode).filter((c) => c.length > 0))];
  const checks = codes.map((code) => checkCoupon(code, input.promotions, input.usage, nowMs));
  const usableCoupons = new Set(
    checks.flatMap((c) => (c.status === 'usable' ? [c.promotion.promotionId] : [])),
  );

  const eligible = input.promotions.filter(
    (p) =>
      isActiveAt(p, nowMs) &&
      appliesInCurrency(p, currency) &&
      (p.coupon === null || usableCoupons.has(p.promotionId)),
  );
  const discounts = eligible.map((promotion) => ({
    promotion,
    perLine: lineDiscounts(promotion, input.lines, currency),
  }));

  const applied = new Set<string>();
  const lines = input.lines.map((line, i) => {
    const listTotal = line.unitPrice.amount * line.quantity;
    const candidates = discounts
      .map(({ promotion, perLine }) => ({ promotion, amount: perLine[i] }))
      .filter((c) => c.amount > 0);
    const chosen = chooseForLine(candidates, listTotal);
    const discount = chosen.reduce((sum, c) => sum + c.amount, 0);
    for (const c of chosen) applied.add(c.promotion.promotionId);
    return {
      sku: line.sku,
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: money(line.unitPrice.amount),
      listTotal: money(listTotal),
      discount: money(discount),
      lineTotal: money(listTotal - discount),
      appliedPromotions: chosen.map((c) => ({
        promotionId: c.promotion.promotionId,
        name: c.promotion.name,
        amount: money(c.amount),
      })),
    };
  });

  const subtotal = lines.reduce((sum, l) => sum + l.listTotal.amount, 0);
  const discount = lines.reduce((sum, l) => sum + l.discount.amount, 0);
  return {
    lines,
    subtotal: money(subtotal),
    discount: money(discount),
    total: money(subtotal - discount),
    coupons: checks.map((c) => ({
      code: c.code,
      status:
        c.status !== 'usable'
          ? c.status
          : applied.has(c.promotion.promotionId)
            ? 'applied'
            : 'not_applicable',
      promotionId: c.promotion?.promotionId ?? null,
    })),
  };
}

/**
 * Product-page prices: each variant's single-unit price after the automatic promotions (no
 * coupons; a multi-buy never changes the price of one unit), and when that can next change.
 */
export function priceProduct(
  product: PricingProduct,
  promotions: readonly Promotion[],
  region: Region,
  now: Date,
): ProductPricing {
  const currency = REGION_CURRENCY[region];
  const nowMs = now.getTime();
  const relevant = promotions.filter(
    (p) =>
      p.coupon === null &&
      appliesInCurrency(p, currency) &&
      product.variants.some((v) =>
        targetMatches(p.target, {
          sku: v.sku,
          brand: product.brand,
          categoryPath: product.categoryPath,
        }),
      ),
  );
  const variants = product.variants.map((variant): VariantPricing => {
    const [line] = priceCart({
      region,
      lines: [
        {
          sku: variant.sku,
          productId: product.productId,
          brand: product.brand,
          categoryPath: [...product.categoryPath],
          quantity: 1,
          unitPrice: variant.price,
        },
      ],
      promotions: relevant,
      coupons: [],
      now,
    }).lines;
    return {
      sku: variant.sku,
      price: line.lineTotal,
      listPrice: variant.price,
      promotions: line.appliedPromotions.map(({ promotionId, name }) => ({ promotionId, name })),
    };
  });
  const boundaries = relevant
    .flatMap((p) => [p.startsAt, p.endsAt])
    .filter((b): b is string => b !== null)
    .map((b) => Date.parse(b))
    .filter((ms) => ms > nowMs);
  return {
    variants,
    pricesValidUntil: boundaries.length ? new Date(Math.min(...boundaries)).toISOString() : null,
  };
}
