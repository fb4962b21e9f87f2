import type { Money } from '@mercato/contracts';
import type { Cart, CartLine } from '../carts/cart.model';
import { CartErrorCode } from './cart.exception';
import {
  addUnits,
  alreadyMerged,
  checkLineQuantity,
  clearOrdered,
  CLEARED_ORDERS_KEPT,
  mergeLines,
  moveToRegion,
  priceChanged,
  setQuantity,
  withCoupon,
  withoutCoupon,
} from './cart.rules';

const limits = { maxQuantityPerSku: 10, maxLines: 3 };
const usd = (amount: number): Money => ({ amount, currency: 'USD' });
const eur = (amount: number): Money => ({ amount, currency: 'EUR' });
const now = new Date('2026-12-07T10:00:00.000Z');

const line = (sku: string, quantity: number, price = usd(1000)): CartLine => ({
  sku,
  productId: `p-${sku}`,
  quantity,
  unitPriceWhenAdded: price,
  addedAt: '2026-12-01T00:00:00.000Z',
});

const cartWith = (lines: CartLine[], extra: Partial<Cart> = {}): Cart => ({
  cartId: 'cart-1',
  owner: { kind: 'guest' },
  region: 'us',
  lines,
  coupons: [],
  version: 3,
  updatedAt: '2026-12-01T00:00:00.000Z',
  expiresAt: '2026-12-08T00:00:00.000Z',
  ...extra,
});

/** The refusal `fn` throws, as the client sees it. */
function refusal(fn: () => unknown): { code: string; status: number; details?: unknown } {
  try {
    fn();
  } catch (error) {
    const { code, status, details } = error as { code: string; status: number; details?: unknown };
    return { code, status, details };
  }
  throw new Error('expected a refusal');
}

describe('line quantity checks', () => {
  it('allows up to the per-SKU limit and the stock', () => {
    expect(() => checkLineQuantity('A', 10, 10, limits)).not.toThrow();
  });

  it('refuses above the stock with what is available (409)', () => {
    expect(refusal(() => checkLineQuantity('A', 6, 5, limits))).toEqual({
      code: CartErrorCode.InsufficientStock,
      status: 409,
      details: { sku: 'A', requested: 6, available: 5 },
    });
  });

  it('refuses above the per-SKU limit with the limit (422), even with stock to spare', () => {
    expect(refusal(() => checkLineQuantity('A', 11, 500, limits))).toEqual({
      code: CartErrorCode.QuantityLimit,
      status: 422,
      details: { sku: 'A', limit: 10 },
    });
  });
});

describe('adding units', () => {
  const facts = { sku: 'B', productId: 'p-B', listPrice: usd(2500), available: 8 };

  it('adds a new line at the list price of now', () => {
    const { cart, added } = addUnits(cartWith([line('A', 1)]), facts, 2, limits, now);
    expect(cart.lines[1]).toEqual({
      sku: 'B',
      productId: 'p-B',
      quantity: 2,
      unitPriceWhenAdded: usd(2500),
      addedAt: now.toISOString(),
    });
    expect(added).toEqual({ sku: 'B', productId: 'p-B', quantity: 2, unitPrice: usd(2500) });
  });

  it('adds to the line of the same SKU (any case), keeping its price when added', () => {
    const { cart } = addUnits(cartWith([line('b', 3, usd(2000))]), facts, 2, limits, now);
    expect(cart.lines).toEqual([line('b', 5, usd(2000))]);
  });

  it('checks the line total, not only the units added', () => {
    expect(refusal(() => addUnits(cartWith([line('B', 7)]), facts, 2, limits, now))).toEqual({
      code: CartErrorCode.InsufficientStock,
      status: 409,
      details: { sku: 'B', requested: 9, available: 8 },
    });
  });

  it('refuses a new line in a full cart, but not more units of a line it has', () => {
    const full = cartWith([line('A', 1), line('B', 1), line('C', 1)]);
    expect(refusal(() => addUnits(full, { ...facts, sku: 'D' }, 1, limits, now)).code).toBe(
      CartErrorCode.CartFull,
    );
    expect(addUnits(full, facts, 1, limits, now).cart.lines[1].quantity).toBe(2);
  });
});

describe('setting a quantity', () => {
  it('removes the line at 0', () => {
    expect(setQuantity(cartWith([line('A', 2)]), 'A', 0, undefined, limits).cart.lines).toEqual([]);
  });

  it('lowers without asking for stock and reports nothing added', () => {
    const result = setQuantity(cartWith([line('A', 5)]), 'A', 2, undefined, limits);
    expect(result.cart.lines[0].quantity).toBe(2);
    expect(result.added).toBeUndefined();
  });

  it('checks an increase and reports the units added', () => {
    const cart = cartWith([line('A', 2)]);
    expect(setQuantity(cart, 'A', 4, 4, limits).added).toMatchObject({ sku: 'A', quantity: 2 });
    expect(refusal(() => setQuantity(cart, 'A', 5, 4, limits)).code).toBe(
      CartErrorCode.InsufficientStock,
    );
  });

  it('refuses a SKU that is not in the cart (404)', () => {
    expect(refusal(() => setQuantity(cartWith([]), 'A', 1, 9, limits))).toMatchObject({
      code: CartErrorCode.CartItemNotFound,
      status: 404,
    });
  });
});

describe('merging a guest cart', () => {
  it('adds quantities, each capped by the stock and the per-SKU limit', () => {
    const target = cartWith([line('A', 4), line('B', 1)], {
      owner: { kind: 'customer', customerId: 'c-1' },
    });
    const { cart, added } = mergeLines(
      target,
      'guest-1',
      [
        { line: line('A', 3), available: 100 },
        { line: line('B', 5), available: 3 },
        { line: line('C', 20), available: 100 },
      ],
      limits,
    );
    expect(cart.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['A', 7],
      ['B', 3],
      ['C', 10],
    ]);
    expect(added.map((a) => [a.sku, a.quantity])).toEqual([
      ['A', 3],
      ['B', 2],
      ['C', 10],
    ]);
  });

  it('never lowers what the customer had, and skips SKUs out of stock', () => {
    const target = cartWith([line('A', 6)]);
    const { cart, added } = mergeLines(
      target,
      'guest-1',
      [
        { line: line('A', 2), available: 4 },
        { line: line('Z', 2), available: 0 },
      ],
      limits,
    );
    expect(cart.lines).toEqual([line('A', 6)]);
    expect(added).toEqual([]);
  });

  it('adds new lines only while the cart has room', () => {
    const target = cartWith([line('A', 1), line('B', 1)]);
    const { cart } = mergeLines(
      target,
      'guest-1',
      [
        { line: line('C', 1), available: 9 },
        { line: line('D', 1), available: 9 },
      ],
      limits,
    );
    expect(cart.lines.map((l) => l.sku)).toEqual(['A', 'B', 'C']);
  });

  it('records the guest cart as merged, so the same merge is recognised again', () => {
    const { cart } = mergeLines(cartWith([]), 'guest-1', [], limits);
    expect(alreadyMerged(cart, 'guest-1')).toBe(true);
    expect(alreadyMerged(cart, 'guest-2')).toBe(false);
  });

  it('takes the target region price for a guest line priced in another currency', () => {
    const { cart } = mergeLines(
      cartWith([]),
      'guest-1',
      [{ line: line('A', 1, eur(900)), available: 5, listPrice: usd(1000) }],
      limits,
    );
    expect(cart.lines[0].unitPriceWhenAdded).toEqual(usd(1000));
  });
});

describe('clearing an order', () => {
  it('takes the ordered units and coupons off and remembers the order', () => {
    const cart = cartWith([line('A', 3), line('B', 1), line('C', 2)], {
      coupons: ['SAVE-10', 'OTHER-1'],
    });
    const result = clearOrdered(
      cart,
      'order-1',
      [
        { sku: 'A', quantity: 1 },
        { sku: 'b', quantity: 1 },
      ],
      ['save-10'],
    );
    expect(result.status).toBe('cleared');
    if (result.status !== 'cleared') return;
    expect(result.cart.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['A', 2],
      ['C', 2],
    ]);
    expect(result.cart.coupons).toEqual(['OTHER-1']);
    expect(clearOrdered(result.cart, 'order-1', [{ sku: 'A', quantity: 1 }], [])).toEqual({
      status: 'already_cleared',
    });
  });

  it('remembers only the latest orders', () => {
    let cart = cartWith([]);
    for (let n = 0; n <= CLEARED_ORDERS_KEPT; n++) {
      const result = clearOrdered(cart, `order-${n}`, [], []);
      if (result.status === 'cleared') cart = result.cart;
    }
    expect(cart.clearedOrderIds).toHaveLength(CLEARED_ORDERS_KEPT);
    expect(cart.clearedOrderIds?.[0]).toBe('order-1');
  });
});

describe('moving to another region', () => {
  it('resets each price-when-added to the new region price, keeping unpriced lines as they were', () => {
    const cart = cartWith([line('A', 1, usd(1000)), line('B', 1, usd(500))]);
    const moved = moveToRegion(cart, 'eu', (sku) => (sku === 'A' ? eur(930) : undefined));
    expect(moved.region).toBe('eu');
    expect(moved.lines.map((l) => l.unitPriceWhenAdded)).toEqual([eur(930), usd(500)]);
  });
});

describe('price changed', () => {
  it('is flagged when amount or currency differ from the price when added', () => {
    expect(priceChanged(line('A', 1, usd(1000)), usd(1000))).toBe(false);
    expect(priceChanged(line('A', 1, usd(1000)), usd(900))).toBe(true);
    expect(priceChanged(line('A', 1, usd(1000)), eur(1000))).toBe(true);
  });
});

describe('coupon codes', () => {
  it('are kept upper-cased, once, and removed in any case', () => {
    const cart = withCoupon(withCoupon(cartWith([]), ' save-10'), 'SAVE-10');
    expect(cart.coupons).toEqual(['SAVE-10']);
    expect(withoutCoupon(cart, 'Save-10').coupons).toEqual([]);
  });
});
