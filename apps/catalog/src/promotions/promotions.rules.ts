import {
  CURRENCIES,
  type Promotion,
  type PromotionChanges,
  type PromotionListing,
  type PromotionTarget,
} from '@mercato/contracts';
import { FieldError, PromotionsErrorCode, PromotionsException } from './promotions.exception';
import { appliesInCurrency } from './promotions.pricing';

/**
 * The admin rules of promotions, as pure functions of the promotions and the time: when one
 * counts as ended, how it is listed, what a change may touch, and which exclusive automatic
 * promotions could meet on a product (those are refused, so the merchant chooses, not the
 * engine). PromotionsService runs them with what it has read; the pricing of a cart or a
 * product is in promotions.pricing.ts.
 */

/** A promotion's validity window: UTC instants, null for an open end. */
export type PromotionWindow = Pick<Promotion, 'startsAt' | 'endsAt'>;

/** The category ids from a category to its department; empty for an unknown category. */
export type CategoryPathOf = (categoryId: string) => readonly string[];

/** The discount fields each kind has; a change to another kind's field is refused. */
const RULE_FIELDS = {
  percentage: ['percentOff'],
  fixed: ['amountOff'],
  buy_x_get_y: ['buyQuantity', 'getQuantity', 'getPercentOff'],
} as const satisfies Record<Promotion['kind'], readonly (keyof PromotionChanges)[]>;
const ALL_RULE_FIELDS = Object.values(RULE_FIELDS).flat();

/** Over at `nowMs`: its end has passed (ending a promotion sets its end to that moment). */
export function hasEnded(promotion: PromotionWindow, nowMs: number): boolean {
  return promotion.endsAt !== null && Date.parse(promotion.endsAt) <= nowMs;
}

/** The status admins see at `nowMs`. */
export function statusAt(promotion: PromotionWindow, nowMs: number): PromotionListing['status'] {
  // Ended first: a promotion ended before its start has an end before its start.
  if (hasEnded(promotion, nowMs)) return 'ended';
  if (promotion.startsAt !== null && nowMs < Date.parse(promotion.startsAt)) return 'scheduled';
  return 'active';
}

/** Coupon use as admins see it: null for an automatic promotion, `remaining` null when unlimited. */
export function couponUsageView(promotion: Promotion, used: number): PromotionListing['usage'] {
  if (!promotion.coupon) return null;
  const { totalLimit } = promotion.coupon;
  return { used, remaining: totalLimit === null ? null : Math.max(0, totalLimit - used) };
}

/** Field errors of a window at `now`: already over, or ending before it starts. */
export function windowErrors(promotion: PromotionWindow, now: Date): FieldError[] {
  const { startsAt, endsAt } = promotion;
  if (hasEnded(promotion, now.getTime())) {
    return [{ field: 'endsAt', message: 'The promotion would already be over' }];
  }
  if (startsAt !== null && endsAt !== null && Date.parse(endsAt) <= Date.parse(startsAt)) {
    return [{ field: 'endsAt', message: `endsAt must be after startsAt (${startsAt})` }];
  }
  return [];
}

/**
 * The stored promotion with `changes` applied and the change recorded (who, when, the next
 * version). Refuses (400) discount fields of another kind and coupon limits on an automatic
 * promotion: a promotion's kind and its being a coupon never change.
 */
export function mergeChanges(
  stored: Promotion,
  changes: PromotionChanges,
  updatedBy: string,
  now: Date,
): Promotion {
  const own: readonly string[] = RULE_FIELDS[stored.kind];
  const errors: FieldError[] = ALL_RULE_FIELDS.filter(
    (field) => changes[field] !== undefined && !own.includes(field),
  ).map((field) => ({
    field,
    message: `A ${stored.kind} promotion has no ${field} (its kind cannot change)`,
  }));
  if (changes.coupon && stored.coupon === null) {
    errors.push({
      field: 'coupon',
      message: 'An automatic promotion has no coupon (create a coupon promotion instead)',
    });
  }
  if (errors.length) {
    throw new PromotionsException(
      PromotionsErrorCode.InvalidPromotion,
      'The change does not fit the promotion',
      errors,
    );
  }
  const instant = (value: string | null | undefined, current: string | null) =>
    value === undefined ? current : value === null ? null : new Date(value).toISOString();
  const given = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
  const { coupon: couponChanges, startsAt, endsAt, ...fields } = changes;
  const defined = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  );
  return {
    ...stored,
    ...defined,
    startsAt: instant(startsAt, stored.startsAt),
    endsAt: instant(endsAt, stored.endsAt),
    coupon:
      stored.coupon && couponChanges
        ? {
            code: stored.coupon.code,
            totalLimit: given(couponChanges.totalLimit, stored.coupon.totalLimit),
            perCustomerLimit: given(couponChanges.perCustomerLimit, stored.coupon.perCustomerLimit),
          }
        : stored.coupon,
    updatedBy,
    updatedAt: now.toISOString(),
    version: stored.version + 1,
  } as Promotion;
}

/**
 * Exclusive automatic promotions never stack with each other: the pricing engine would silently
 * pick the better one for the customer. The ones only a coupon unlocks are the customer's choice.
 */
export function isExclusiveAutomatic(promotion: Promotion): boolean {
  return promotion.stacking === 'exclusive' && promotion.coupon === null;
}

/**
 * The promotions of `stored` (other than `promotion` itself) that are exclusive and automatic
 * like `promotion` and could meet it on a product from `nowMs` on: windows open at a common
 * instant (what is over cannot clash any more), a currency both discount in, and overlapping
 * targets. Empty when `promotion` is not exclusive and automatic.
 */
export function exclusiveClashes(
  promotion: Promotion,
  stored: readonly Promotion[],
  nowMs: number,
  categoryPathOf: CategoryPathOf,
): Promotion[] {
  if (!isExclusiveAutomatic(promotion)) return [];
  return stored.filter(
    (other) =>
      other.promotionId !== promotion.promotionId &&
      isExclusiveAutomatic(other) &&
      windowsOverlap(other, promotion, nowMs) &&
      currenciesOverlap(other, promotion) &&
      targetsOverlap(other.target, promotion.target, categoryPathOf),
  );
}

/** Whether both windows are open at some instant from `nowMs` on (an empty one never is). */
function windowsOverlap(a: PromotionWindow, b: PromotionWindow, nowMs: number): boolean {
  const start = (w: PromotionWindow) => (w.startsAt === null ? -Infinity : Date.parse(w.startsAt));
  const end = (w: PromotionWindow) => (w.endsAt === null ? Infinity : Date.parse(w.endsAt));
  return Math.max(start(a), start(b), nowMs) < Math.min(end(a), end(b));
}

/** Fixed promotions only apply where they have an amount; the others apply everywhere. */
function currenciesOverlap(a: Promotion, b: Promotion): boolean {
  return CURRENCIES.some((c) => appliesInCurrency(a, c) && appliesInCurrency(b, c));
}

/**
 * Same target, `all`, a shared brand or SKU, or categories where one contains the other.
 * Targets of different types (a brand and a category) are not compared: the engine still
 * picks the better exclusive for a product both reach.
 */
function targetsOverlap(
  x: PromotionTarget,
  y: PromotionTarget,
  categoryPathOf: CategoryPathOf,
): boolean {
  if (x.type === 'all' || y.type === 'all') return true;
  if (x.type === 'brands' && y.type === 'brands') return x.brands.some((v) => y.brands.includes(v));
  if (x.type === 'skus' && y.type === 'skus') return x.skus.some((v) => y.skus.includes(v));
  if (x.type === 'categories' && y.type === 'categories') {
    return x.categoryIds.some((first) =>
      y.categoryIds.some(
        (second) =>
          categoryPathOf(first).includes(second) || categoryPathOf(second).includes(first),
      ),
    );
  }
  return false;
}

/** The category ids a promotion targets (none unless it targets categories). */
export function targetedCategories(promotion: Promotion): readonly string[] {
  return promotion.target.type === 'categories' ? promotion.target.categoryIds : [];
}
