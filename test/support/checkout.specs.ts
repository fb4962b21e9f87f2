import { call } from './embedded-store';
import { eventually, firstLeaf, productBody } from './commerce.specs';
import { newSeller, signInAdmin } from './shop-accounts';
import {
  US_ADDRESS,
  bearer,
  checkout as checkoutAs,
  newCustomer,
  restock,
  unique,
} from './shopping';
import type { StoreUnderTest } from './store-api.suite';

/**
 * What a store under test needs for these specs besides the admin account: many sign-ups and
 * logins from one address (the tests are one client), and a `tok_slow` that is slower than an
 * impatient client but does not make the suite wait 10 s.
 */
export const CHECKOUT_TEST_ENV = {
  AUTH_REGISTER_IP_LIMIT: '10000',
  AUTH_LOGIN_IP_LIMIT: '10000',
  PAYMENT_SLOW_MS: '1500',
};

type Headers = Record<string, string>;

/**
 * Cart, checkout and orders (issue 18) end to end, on any way of running the store: the
 * shopper's journey, the invariants under concurrency (no oversell, one order and one
 * authorisation per idempotency key, nothing held after a refusal) and bad input.
 */
export function checkoutSpecs(target: () => StoreUnderTest): void {
  const api = (method: string, path: string, body?: unknown, headers?: Headers) =>
    call(target().baseUrl, method, path, { body, headers });

  let adminToken: string;
  let sellerToken: string;
  let leafCategory: string;

  /** A new customer of the us region, signed in. */
  const customer = (headers: Headers = {}) => newCustomer(target().baseUrl, headers);

  /** A product of the test seller with one variant per SKU, each SKU stocked in us-east. */
  async function stockedProduct(skus: string[], unitsEach: number): Promise<string> {
    const created = await api(
      'POST',
      '/v1/seller/products',
      productBody(leafCategory, skus, `Checkout boot ${skus[0]}`),
      bearer(sellerToken),
    );
    expect(created.status).toBe(201);
    for (const sku of skus) {
      await restock(target().baseUrl, adminToken, sku, 'us-east', unitsEach);
    }
    return created.body.productId as string;
  }

  async function available(productId: string, sku: string): Promise<number> {
    const response = await api('GET', `/v1/products/${productId}/availability`);
    expect(response.status).toBe(200);
    return response.body.variants.find((v: { sku: string }) => v.sku === sku).available as number;
  }

  /** A coupon promotion: `percentOff` off the given SKUs, usable `totalLimit` times. */
  async function coupon(skus: string[], percentOff: number, totalLimit: number) {
    const code = `SAVE-${unique()}`;
    const created = await api(
      'POST',
      '/v1/admin/promotions',
      {
        name: `${percentOff}% off with ${code}`,
        kind: 'percentage',
        percentOff,
        target: { type: 'skus', skus },
        stacking: 'stackable',
        coupon: { code, totalLimit },
      },
      bearer(adminToken),
    );
    expect(created.status).toBe(201);
    return { code, promotionId: created.body.promotionId as string };
  }

  const addToCart = (sku: string, quantity: number, headers: Headers) =>
    api('POST', '/v1/cart/items', { sku, quantity }, headers);

  const checkout = (token: string, key: string, body: Record<string, unknown> = {}) =>
    checkoutAs(target().baseUrl, token, key, body);

  /** The customer's orders (all pages are one page here). */
  const ordersOf = async (token: string) => {
    const response = await api('GET', '/v1/orders?limit=100', undefined, bearer(token));
    expect(response.status).toBe(200);
    return response.body.items as { orderId: string; status: string }[];
  };

  /** Payments the admin view shows for one order. */
  const paymentsOf = async (orderId: string) => {
    const response = await api('GET', `/v1/admin/orders/${orderId}`, undefined, bearer(adminToken));
    expect(response.status).toBe(200);
    return response.body.payments as { status: string }[];
  };

  beforeAll(async () => {
    adminToken = await signInAdmin(target().baseUrl);
    sellerToken = await newSeller(target().baseUrl, adminToken, 'Checkout Outfitters');
    leafCategory = firstLeaf((await api('GET', '/v1/categories')).body.items);
  });

  describe('the shopper’s journey', () => {
    it('guest cart → sign-in merges it → coupon → checkout → confirmed order with its audit trail; stock and coupon use change once', async () => {
      const [skuA, skuB] = [`JR-${unique()}-A`, `JR-${unique()}-B`];
      const productA = await stockedProduct([skuA], 5);
      const productB = await stockedProduct([skuB], 5);
      const { code, promotionId } = await coupon([skuA], 10, 5);

      expect((await api('GET', '/v1/products?limit=5')).status).toBe(200);
      const first = await addToCart(skuA, 2, {});
      expect(first.status).toBe(200);
      const cartId = first.headers.get('x-cart-id')!;
      expect(cartId).toBe(first.body.cartId);
      const second = await addToCart(skuB, 1, { 'x-cart-id': cartId });
      expect(second.body.items).toHaveLength(2);
      expect(second.body.total).toEqual({ amount: 3 * 12_900, currency: 'USD' });

      const shopper = await customer({ 'x-cart-id': cartId });
      const merged = await api('GET', '/v1/cart', undefined, bearer(shopper.token));
      expect(
        merged.body.items.map((i: { sku: string; quantity: number }) => [i.sku, i.quantity]),
      ).toEqual(
        expect.arrayContaining([
          [skuA, 2],
          [skuB, 1],
        ]),
      );
      // The guest cart is gone: its id answers like any unknown cart.
      expect((await api('GET', '/v1/cart', undefined, { 'x-cart-id': cartId })).status).toBe(404);

      const withCoupon = await api('POST', '/v1/cart/coupons', { code }, bearer(shopper.token));
      expect(withCoupon.status).toBe(200);
      expect(withCoupon.body.discount).toEqual({ amount: 2_580, currency: 'USD' });
      expect(withCoupon.body.total).toEqual({ amount: 3 * 12_900 - 2_580, currency: 'USD' });

      const key = `journey-${unique()}`;
      const placed = await checkout(shopper.token, key);
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({
        status: 'confirmed',
        totals: { total: { amount: 3 * 12_900 - 2_580, currency: 'USD' } },
        coupons: [code],
      });
      const { orderId } = placed.body;
      expect(placed.headers.get('location')).toBe(`/v1/orders/${orderId}`);

      expect((await ordersOf(shopper.token)).map((o) => o.orderId)).toEqual([orderId]);
      const trail = await api(
        'GET',
        `/v1/orders/${orderId}/events`,
        undefined,
        bearer(shopper.token),
      );
      expect(trail.status).toBe(200);
      const types = trail.body.items.map((e: { type: string }) => e.type);
      expect(types[0]).toBe('placed');
      expect(types).toEqual(
        expect.arrayContaining(['stock_reserved', 'payment_authorized', 'confirmed']),
      );

      // Stock and the coupon changed once; a replay of the same key changes nothing more.
      const replay = await checkout(shopper.token, key);
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(placed.body);
      expect(await available(productA, skuA)).toBe(3);
      expect(await available(productB, skuB)).toBe(4);
      const promotion = await api(
        'GET',
        `/v1/admin/promotions/${promotionId}`,
        undefined,
        bearer(adminToken),
      );
      expect(promotion.body.usage.used).toBe(1);
      expect((await api('GET', '/v1/cart', undefined, bearer(shopper.token))).body.items).toEqual(
        [],
      );
      expect(await paymentsOf(orderId)).toHaveLength(1);

      // The seller sees the order with their lines (both products are theirs).
      const sellerOrders = await api('GET', '/v1/seller/orders', undefined, bearer(sellerToken));
      expect(sellerOrders.status).toBe(200);
      const mine = sellerOrders.body.items.find((o: { orderId: string }) => o.orderId === orderId);
      expect(mine.items.map((i: { sku: string }) => i.sku).sort()).toEqual([skuA, skuB].sort());

      // Someone else's order is as unknown as an order that does not exist.
      const stranger = await customer();
      for (const path of [`/v1/orders/${orderId}`, `/v1/orders/${orderId}/events`]) {
        const answer = await api('GET', path, undefined, bearer(stranger.token));
        expect(answer.status).toBe(404);
        expect(answer.body.code).toBe('ORDER_NOT_FOUND');
      }
    });
  });

  describe('invariants under concurrency', () => {
    it('30 customers racing for 10 units: exactly 10 orders, 20 answers of 409, stock at 0, one authorisation per order', async () => {
      const sku = `RC-${unique()}`;
      const productId = await stockedProduct([sku], 10);
      const shoppers = await Promise.all(Array.from({ length: 30 }, () => customer()));
      for (const shopper of shoppers) {
        expect((await addToCart(sku, 1, bearer(shopper.token))).status).toBe(200);
      }

      const answers = await Promise.all(
        shoppers.map((shopper, i) => checkout(shopper.token, `race-${i}-${unique()}`)),
      );

      const statuses = answers.map((a) => a.status).sort();
      const refusals = answers
        .filter((a) => a.status !== 201)
        .map((a) => `${a.status} ${a.body.code}`);
      expect(new Set(refusals)).toEqual(new Set(['409 OUT_OF_STOCK']));
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
      expect(statuses.filter((s) => s === 409)).toHaveLength(20);
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect(refused.body.code).toBe('OUT_OF_STOCK');
        expect(refused.body.details.items).toEqual([
          expect.objectContaining({ sku, requested: 1 }),
        ]);
      }
      expect(await available(productId, sku)).toBe(0);
      for (const placed of answers.filter((a) => a.status === 201)) {
        expect(await paymentsOf(placed.body.orderId)).toHaveLength(1);
      }
      // The refused shoppers have no order.
      for (const [i, answer] of answers.entries()) {
        if (answer.status === 409) expect(await ordersOf(shoppers[i].token)).toEqual([]);
      }
    });

    it('20 parallel repeats of one checkout with one Idempotency-Key: one order, one authorisation, identical answers', async () => {
      const sku = `ID-${unique()}`;
      const productId = await stockedProduct([sku], 5);
      const shopper = await customer();
      await addToCart(sku, 2, bearer(shopper.token));
      const key = `repeat-${unique()}`;

      const answers = await Promise.all(
        Array.from({ length: 20 }, () => checkout(shopper.token, key)),
      );

      const created = answers.filter((a) => a.status === 201);
      const inProgress = answers.filter((a) => a.status === 409);
      expect(created.length + inProgress.length).toBe(20);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const answer of created) expect(answer.body).toEqual(created[0].body);
      for (const answer of inProgress) expect(answer.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      const settled = await checkout(shopper.token, key);
      expect(settled.body).toEqual(created[0].body);
      expect((await ordersOf(shopper.token)).map((o) => o.orderId)).toEqual([
        created[0].body.orderId,
      ]);
      expect(await paymentsOf(created[0].body.orderId)).toHaveLength(1);
      expect(await available(productId, sku)).toBe(3);
    });

    it('a declined payment leaves availability exactly as before and no order', async () => {
      const sku = `DC-${unique()}`;
      const productId = await stockedProduct([sku], 4);
      const shopper = await customer();
      await addToCart(sku, 3, bearer(shopper.token));

      const declined = await checkout(shopper.token, `declined-${unique()}`, {
        paymentToken: 'tok_declined',
      });

      expect(declined.status).toBe(402);
      expect(declined.body.code).toBe('PAYMENT_DECLINED');
      expect(await available(productId, sku)).toBe(4);
      expect(await ordersOf(shopper.token)).toEqual([]);
      // The cart is kept: the shopper can pay another way.
      expect(
        (await api('GET', '/v1/cart', undefined, bearer(shopper.token))).body.items,
      ).toHaveLength(1);
    });

    it('tok_slow with a client that gives up and retries with the same key: one order', async () => {
      const sku = `SL-${unique()}`;
      const productId = await stockedProduct([sku], 3);
      const shopper = await customer();
      await addToCart(sku, 1, bearer(shopper.token));
      const key = `slow-${unique()}`;
      const body = { paymentToken: 'tok_slow', shippingAddress: US_ADDRESS };

      // The impatient client: gives up after 300 ms, long before the provider answers.
      const impatient = new AbortController();
      const firstTry = fetch(`${target().baseUrl}/v1/checkout`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...bearer(shopper.token),
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
        signal: impatient.signal,
      }).catch(() => undefined);
      setTimeout(() => impatient.abort(), 300);
      await firstTry;

      const { value: settled } = await eventually(
        async () => {
          const retry = await checkout(shopper.token, key, body);
          if (retry.status === 409 && retry.body.code === 'IDEMPOTENCY_IN_PROGRESS')
            return undefined;
          return retry;
        },
        20_000,
        'the slow checkout to settle',
      );
      expect(settled.status).toBe(201);
      expect((await ordersOf(shopper.token)).map((o) => o.orderId)).toEqual([settled.body.orderId]);
      expect(await paymentsOf(settled.body.orderId)).toHaveLength(1);
      expect(await available(productId, sku)).toBe(2);
    });
  });

  describe('bad input changes nothing', () => {
    let shopper: { token: string; customerId: string };
    let sku: string;
    let productId: string;

    beforeAll(async () => {
      sku = `BI-${unique()}`;
      productId = await stockedProduct([sku], 6);
      shopper = await customer();
    });

    const expectProblem = (
      answer: { status: number; body: { code?: string }; headers: globalThis.Headers },
      status: number,
      code?: string,
    ) => {
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      if (code) expect(answer.body.code).toBe(code);
    };

    it('refuses quantities that are zero, negative, fractional or huge, and an unknown SKU', async () => {
      for (const quantity of [0, -1, 1.5, 1e9, '2']) {
        expectProblem(await addToCart(sku, quantity as number, bearer(shopper.token)), 400);
      }
      expectProblem(
        await addToCart(`NOPE-${unique()}`, 1, bearer(shopper.token)),
        422,
        'SKU_NOT_SOLD',
      );
      const cart = await api('GET', '/v1/cart', undefined, bearer(shopper.token));
      expect(cart.body.items).toEqual([]);
    });

    it('answers 409 naming the SKU and what is available when asked for more than the stock', async () => {
      const refused = await addToCart(sku, 7, bearer(shopper.token));
      expectProblem(refused, 409, 'INSUFFICIENT_STOCK');
      expect(refused.body.details).toEqual({ sku, requested: 7, available: 6 });
    });

    it('holds every line to the per-SKU limit', async () => {
      const big = `BL-${unique()}`;
      await stockedProduct([big], 50);
      expectProblem(await addToCart(big, 11, bearer(shopper.token)), 422, 'QUANTITY_LIMIT');
    });

    it('answers 404 for an unknown or foreign cart id', async () => {
      expectProblem(
        await api('GET', '/v1/cart', undefined, { 'x-cart-id': `unknown${unique()}${unique()}` }),
        404,
        'CART_NOT_FOUND',
      );
      expectProblem(await api('GET', '/v1/cart', undefined, { 'x-cart-id': 'bad id!' }), 400);
    });

    it('refuses a checkout without an Idempotency-Key, with an empty cart, or a reused key with another body', async () => {
      const empty = await customer();
      expectProblem(
        await api(
          'POST',
          '/v1/checkout',
          { paymentToken: 'tok_visa', shippingAddress: US_ADDRESS },
          bearer(empty.token),
        ),
        400,
        'IDEMPOTENCY_KEY_REQUIRED',
      );
      expectProblem(await checkout(empty.token, `empty-${unique()}`), 422, 'CART_EMPTY');

      await addToCart(sku, 1, bearer(empty.token));
      const key = `reuse-${unique()}`;
      expectProblem(
        await checkout(empty.token, key, { paymentToken: 'tok_declined' }),
        402,
        'PAYMENT_DECLINED',
      );
      expectProblem(
        await checkout(empty.token, key, { paymentToken: 'tok_visa' }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await available(productId, sku)).toBe(6);
    });

    it('refuses an address missing a field or with a malformed postcode, naming the field', async () => {
      await addToCart(sku, 1, bearer(shopper.token));
      const noCity = { ...US_ADDRESS, city: undefined };
      const missing = await checkout(shopper.token, `addr-${unique()}`, {
        shippingAddress: noCity,
      });
      expectProblem(missing, 400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain(
        'shippingAddress.city',
      );
      const malformed = await checkout(shopper.token, `addr-${unique()}`, {
        shippingAddress: { ...US_ADDRESS, postalCode: 'ABCDE' },
      });
      expectProblem(malformed, 400, 'INVALID_ADDRESS');
      expect(malformed.body.errors.map((e: { field: string }) => e.field)).toContain(
        'shippingAddress.postalCode',
      );
      expect(await available(productId, sku)).toBe(6);
      expect(await ordersOf(shopper.token)).toEqual([]);
    });

    it('answers 402 for an unknown payment token and 422 for a used-up coupon, charging nothing', async () => {
      expectProblem(
        await checkout(shopper.token, `tok-${unique()}`, { paymentToken: 'tok_nonsense' }),
        402,
        'PAYMENT_DECLINED',
      );
      const { code } = await coupon([sku], 5, 1);
      const other = await customer();
      await addToCart(sku, 1, bearer(other.token));
      expect((await api('POST', '/v1/cart/coupons', { code }, bearer(other.token))).status).toBe(
        200,
      );
      expect((await api('POST', '/v1/cart/coupons', { code }, bearer(shopper.token))).status).toBe(
        200,
      );
      expect((await checkout(other.token, `cp-${unique()}`)).status).toBe(201);

      const usedUp = await checkout(shopper.token, `cp-${unique()}`);
      expectProblem(usedUp, 422, 'COUPON_INVALID');
      expect(usedUp.body.details).toMatchObject({ code });
      expect(await available(productId, sku)).toBe(5);
      expect(await ordersOf(shopper.token)).toEqual([]);
    });
  });
}
