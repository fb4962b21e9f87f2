import { foldedSku, type Money, type Region } from '@mercato/contracts';
import type { CartLimits } from '../cart.config';
import type { Cart, CartLine } from '../carts/cart.model';
import { CartErrorCode, CartException } from './cart.exception';

/*
 * The cart's rules, without I/O: the service gathers the facts (the quote, the stock) and these
 * decide. SKUs are compared case-folded, as catalog keeps them unique.
 */

/** Orders remembered per cart for `ClearOrderedItems`: far more than a cart lives through. */
export const CLEARED_ORDERS_KEPT = 50;
/** Coupon codes a cart may carry: what one `QuoteCart` request takes. */
export const MAX_COUPONS = 20;
/** Guest carts remembered per customer cart as merged. */
const MERGED_CARTS_KEPT = 50;

/** Units of a SKU that went into a cart: what `CartItemAdded` reports. */
export interface AddedUnits {
  sku: string;
  productId: string;
  quantity: number;
  unitPrice: Money;
}

export const sameSku = (a: string, b: string): boolean => foldedSku(a) === foldedSku(b);

export function findLine(cart: Pick<Cart, 'lines'>, sku: string): CartLine | undefined {
  return cart.lines.find((line) => sameSku(line.sku, sku));
}

/**
 * Refuses a line quantity above the per-SKU limit (422) or above the stock available in the
 * region (409): the limit first, as no restock lifts it.
 */
export function checkLineQuantity(
  sku: string,
  quantity: number,
  available: number,
  limits: CartLimits,
): void {
  if (quantity > limits.maxQuantityPerSku) {
    throw new CartException(
      CartErrorCode.QuantityLimit,
      `At most ${limits.maxQuantityPerSku} units of ${sku} fit in a cart`,
      { sku, limit: limits.maxQuantityPerSku },
    );
  }
  if (quantity > available) {
    throw new CartException(
      CartErrorCode.InsufficientStock,
      `Only ${available} units of ${sku} are available`,
      { sku, requested: quantity, available },
    );
  }
}

/** What an addition needs to know about the SKU now (from the quote and inventory). */
export interface SkuFacts {
  sku: string;
  productId: string;
  listPrice: Money;
  available: number;
}

/** The cart with `quantity` more units of the SKU (a new line, or added to its line). */
export function addUnits(
  cart: Cart,
  facts: SkuFacts,
  quantity: number,
  limits: CartLimits,
  now: Date,
): { cart: Cart; added: AddedUnits } {
  const line = findLine(cart, facts.sku);
  if (!line && cart.lines.length >= limits.maxLines) {
    throw new CartException(
      CartErrorCode.CartFull,
      `A cart holds at most ${limits.maxLines} different items`,
    );
  }
  const total = (line?.quantity ?? 0) + quantity;
  checkLineQuantity(facts.sku, total, facts.available, limits);
  const lines = line
    ? cart.lines.map((l) => (l === line ? { ...l, quantity: total } : l))
    : [
        ...cart.lines,
        {
          sku: facts.sku,
          productId: facts.productId,
          quantity,
          unitPriceWhenAdded: facts.listPrice,
          addedAt: now.toISOString(),
        },
      ];
  return {
    cart: { ...cart, lines },
    added: {
      sku: line?.sku ?? facts.sku,
      productId: facts.productId,
      quantity,
      unitPrice: facts.listPrice,
    },
  };
}

/**
 * The cart with the line's quantity set (0 removes it). Only an increase is checked against the
 * limit and the stock (`available`, needed then): lowering a quantity is always allowed.
 */
export function setQuantity(
  cart: Cart,
  sku: string,
  quantity: number,
  available: number | undefined,
  limits: CartLimits,
): { cart: Cart; added?: AddedUnits } {
  const line = findLine(cart, sku);
  if (!line) {
    throw new CartException(CartErrorCode.CartItemNotFound, `${sku} is not in the cart`);
  }
  if (quantity === 0) return { cart: removeLine(cart, sku) };
  if (quantity <= line.quantity) {
    return {
      cart: { ...cart, lines: cart.lines.map((l) => (l === line ? { ...l, quantity } : l)) },
    };
  }
  checkLineQuantity(line.sku, quantity, available ?? 0, limits);
  return {
    cart: { ...cart, lines: cart.lines.map((l) => (l === line ? { ...l, quantity } : l)) },
    added: {
      sku: line.sku,
      productId: line.productId,
      quantity: quantity - line.quantity,
      unitPrice: line.unitPriceWhenAdded,
    },
  };
}

export function removeLine(cart: Cart, sku: string): Cart {
  return { ...cart, lines: cart.lines.filter((line) => !sameSku(line.sku, sku)) };
}

/** Whether the unit price now differs from the one shown when the line was added. */
export function priceChanged(
  line: Pick<CartLine, 'unitPriceWhenAdded'>,
  listPrice: Money,
): boolean {
  return (
    line.unitPriceWhenAdded.amount !== listPrice.amount ||
    line.unitPriceWhenAdded.currency !== listPrice.currency
  );
}

/**
 * The cart moved to another region: each line's price-when-added becomes the new region's list
 * price (another currency, so comparing with the old one would flag every line). A line with no
 * price there keeps its old one: it is unavailable in the region anyway.
 */
export function moveToRegion(
  cart: Cart,
  region: Region,
  listPriceOf: (sku: string) => Money | undefined,
): Cart {
  return {
    ...cart,
    region,
    lines: cart.lines.map((line) => {
      const price = listPriceOf(line.sku);
      return price ? { ...line, unitPriceWhenAdded: price } : line;
    }),
  };
}

/** A guest cart's line as the merge sees it, with the facts of its SKU in the target region. */
export interface MergeCandidate {
  line: CartLine;
  /** Units available in the target's region (0 when none or not sold). */
  available: number;
  /** The list price in the target's region; undefined when not sold there. */
  listPrice?: Money;
}

/**
 * The customer's cart with a guest cart's lines added: quantities added, each line capped by the
 * stock and the per-SKU limit (never below what the customer's cart held already), new lines
 * only while the cart has room. `guestCartId` is recorded as merged.
 */
export function mergeLines(
  target: Cart,
  guestCartId: string,
  candidates: readonly MergeCandidate[],
  limits: CartLimits,
): { cart: Cart; added: AddedUnits[] } {
  let lines = [...target.lines];
  const added: AddedUnits[] = [];
  for (const { line: guestLine, available, listPrice } of candidates) {
    const existing = lines.find((l) => sameSku(l.sku, guestLine.sku));
    const held = existing?.quantity ?? 0;
    const cap = Math.max(held, Math.min(limits.maxQuantityPerSku, available));
    const quantity = Math.min(held + guestLine.quantity, cap);
    if (quantity <= held) continue;
    if (existing) {
      lines = lines.map((l) => (l === existing ? { ...l, quantity } : l));
    } else {
      if (lines.length >= limits.maxLines) continue;
      const unitPriceWhenAdded =
        listPrice && listPrice.currency !== guestLine.unitPriceWhenAdded.currency
          ? listPrice
          : guestLine.unitPriceWhenAdded;
      lines.push({ ...guestLine, quantity, unitPriceWhenAdded });
    }
    added.push({
      sku: existing?.sku ?? guestLine.sku,
      productId: guestLine.productId,
      quantity: quantity - held,
      unitPrice: listPrice ?? guestLine.unitPriceWhenAdded,
    });
  }
  const mergedCartIds = [...(target.mergedCartIds ?? []), guestCartId].slice(-MERGED_CARTS_KEPT);
  return { cart: { ...target, lines, mergedCartIds }, added };
}

export function alreadyMerged(target: Cart, guestCartId: string): boolean {
  return target.mergedCartIds?.includes(guestCartId) ?? false;
}

/**
 * After an order: the ordered units and the redeemed coupons off the cart, and the order id
 * recorded in the same save, so the same order clears nothing more. Lines added since checkout
 * read the cart keep their units above the ordered quantity.
 */
export function clearOrdered(
  cart: Cart,
  orderId: string,
  items: readonly { sku: string; quantity: number }[],
  coupons: readonly string[],
): { status: 'cleared'; cart: Cart } | { status: 'already_cleared' } {
  if (cart.clearedOrderIds?.includes(orderId)) return { status: 'already_cleared' };
  const lines = cart.lines.flatMap((line) => {
    const ordered = items
      .filter((item) => sameSku(item.sku, line.sku))
      .reduce((sum, item) => sum + item.quantity, 0);
    const quantity = line.quantity - ordered;
    return quantity > 0 ? [{ ...line, quantity }] : [];
  });
  const redeemed = new Set(coupons.map(couponCode));
  return {
    status: 'cleared',
    cart: {
      ...cart,
      lines,
      coupons: cart.coupons.filter((code) => !redeemed.has(code)),
      clearedOrderIds: [...(cart.clearedOrderIds ?? []), orderId].slice(-CLEARED_ORDERS_KEPT),
    },
  };
}

/** A coupon code as catalog compares it. */
export const couponCode = (code: string): string => code.trim().toUpperCase();

/** The cart with a coupon code (upper-cased) added once. */
export function withCoupon(cart: Cart, code: string): Cart {
  const normalized = couponCode(code);
  return cart.coupons.includes(normalized)
    ? cart
    : { ...cart, coupons: [...cart.coupons, normalized] };
}

export function withoutCoupon(cart: Cart, code: string): Cart {
  const normalized = couponCode(code);
  return { ...cart, coupons: cart.coupons.filter((c) => c !== normalized) };
}
