import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_CART_QUANTITY } from '@mercato/contracts';
import { FakeCartService, NEW_GUEST_CART_ID } from '../../test/support/fake-shop-services';
import { bearer, startGatewayTestApp } from '../../test/support/gateway-test-app';
import { CartGatewayModule } from './cart-gateway.module';

/** The cart routes over HTTP, with a fake cart service answering on the bus. */
describe('Cart HTTP API', () => {
  let app: NestFastifyApplication;
  let cart: FakeCartService;
  const GUEST_CART = 'c_guestCart1234';

  beforeAll(async () => {
    app = await startGatewayTestApp([CartGatewayModule], [FakeCartService]);
    cart = app.get(FakeCartService);
  });
  afterAll(() => app?.close());

  const send = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string> = {},
    payload?: object,
  ) => app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  describe('who owns the cart', () => {
    it('gives a guest without X-Cart-Id a cart and its id in the X-Cart-Id header', async () => {
      const res = await send('GET', '/v1/cart');
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-cart-id']).toBe(NEW_GUEST_CART_ID);
      expect(res.json()).toMatchObject({ cartId: NEW_GUEST_CART_ID, region: 'us' });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(cart.last()).toMatchObject({
        type: 'cart.cart.get',
        payload: { caller: {}, region: 'us' },
      });
    });

    it('sends a guest’s X-Cart-Id as the caller and keys the request by it', async () => {
      const res = await send('GET', '/v1/cart', { 'x-cart-id': GUEST_CART });
      expect(res.headers['x-cart-id']).toBe(GUEST_CART);
      expect(cart.last()).toMatchObject({
        payload: { caller: { cartId: GUEST_CART } },
        key: GUEST_CART,
      });
    });

    it('sends a customer with the guest cart to merge, keyed by the customer, in their region', async () => {
      await send('GET', '/v1/cart', { ...bearer('ann'), 'x-cart-id': GUEST_CART });
      expect(cart.last()).toMatchObject({
        payload: { caller: { customerId: 'c-ann', cartId: GUEST_CART }, region: 'eu' },
        key: 'c-ann',
      });
    });

    it('prices in the X-Region asked, over the customer’s own region', async () => {
      await send('GET', '/v1/cart', { ...bearer('ann'), 'x-region': 'AP' });
      expect(cart.last().payload).toMatchObject({ caller: { customerId: 'c-ann' }, region: 'ap' });
    });

    it.each([
      ['too short', 'abc'],
      ['a character outside the id alphabet', 'c_guest/cart/1'],
      ['too long', 'x'.repeat(65)],
    ])('answers 400 INVALID_CART_ID for an X-Cart-Id %s, asking nothing', async (_case, id) => {
      const before = cart.received.length;
      const res = await send('GET', '/v1/cart', { 'x-cart-id': id });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'INVALID_CART_ID' });
      expect(cart.received).toHaveLength(before);
    });

    it('answers 401 to a bad token, and 403 to sellers and admins: carts are for shoppers', async () => {
      expect((await send('GET', '/v1/cart', { authorization: 'Bearer forged' })).statusCode).toBe(
        401,
      );
      expect((await send('GET', '/v1/cart', bearer('sam'))).statusCode).toBe(403);
      expect(
        (await send('POST', '/v1/cart/items', bearer('ada'), { sku: 'A-1', quantity: 1 }))
          .statusCode,
      ).toBe(403);
    });
  });

  describe('changes', () => {
    it('adds units of a SKU', async () => {
      const res = await send(
        'POST',
        '/v1/cart/items',
        { 'x-cart-id': GUEST_CART },
        { sku: 'NOR-000001-1', quantity: 2 },
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-cart-id']).toBe(GUEST_CART);
      expect(cart.last()).toMatchObject({
        type: 'cart.item.add',
        payload: { caller: { cartId: GUEST_CART }, sku: 'NOR-000001-1', quantity: 2 },
      });
    });

    it('sets a quantity (0 removes), with a SKU holding a / sent as %2F', async () => {
      const res = await send('PATCH', '/v1/cart/items/nw%2Ftrail%2F42', bearer('bob'), {
        quantity: 0,
      });
      expect(res.statusCode).toBe(200);
      expect(cart.last()).toMatchObject({
        type: 'cart.item.set-quantity',
        payload: { sku: 'nw/trail/42', quantity: 0, caller: { customerId: 'c-bob' } },
      });
    });

    it('removes a line, applies and removes a coupon', async () => {
      expect((await send('DELETE', '/v1/cart/items/NOR-000001-1', bearer('bob'))).statusCode).toBe(
        200,
      );
      expect(cart.last()).toMatchObject({
        type: 'cart.item.remove',
        payload: { sku: 'NOR-000001-1' },
      });
      expect(
        (await send('POST', '/v1/cart/coupons', bearer('bob'), { code: 'welcome5' })).statusCode,
      ).toBe(200);
      expect(cart.last()).toMatchObject({
        type: 'cart.coupon.apply',
        payload: { code: 'welcome5' },
      });
      expect((await send('DELETE', '/v1/cart/coupons/WELCOME5', bearer('bob'))).statusCode).toBe(
        200,
      );
      expect(cart.last()).toMatchObject({
        type: 'cart.coupon.remove',
        payload: { code: 'WELCOME5' },
      });
    });

    it.each([
      ['a quantity of 0 on POST', { sku: 'A-1', quantity: 0 }, 'quantity'],
      ['a fractional quantity', { sku: 'A-1', quantity: 1.5 }, 'quantity'],
      ['a huge quantity', { sku: 'A-1', quantity: MAX_CART_QUANTITY + 1 }, 'quantity'],
      ['a quantity as a string', { sku: 'A-1', quantity: '2' }, 'quantity'],
      ['an unknown field', { sku: 'A-1', quantity: 1, price: 1 }, 'price'],
      ['no SKU', { quantity: 1 }, 'sku'],
    ])('answers 400 naming the field for %s, asking nothing', async (_case, body, field) => {
      const before = cart.received.length;
      const res = await send('POST', '/v1/cart/items', {}, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('INVALID_REQUEST');
      expect(res.json().errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
      expect(cart.received).toHaveLength(before);
    });

    it('answers 400 for a negative or fractional PATCH quantity and a SKU over 128 characters', async () => {
      expect((await send('PATCH', '/v1/cart/items/A-1', {}, { quantity: -1 })).statusCode).toBe(
        400,
      );
      expect((await send('PATCH', '/v1/cart/items/A-1', {}, { quantity: 0.5 })).statusCode).toBe(
        400,
      );
      expect((await send('DELETE', `/v1/cart/items/${'S'.repeat(129)}`)).statusCode).toBe(400);
    });
  });

  describe('refusals of the cart service', () => {
    it.each([
      [404, 'CART_NOT_FOUND', undefined],
      [409, 'INSUFFICIENT_STOCK', { sku: 'NOR-000001-1', requested: 5, available: 3 }],
      [422, 'QUANTITY_LIMIT', { sku: 'NOR-000001-1', limit: 10 }],
      [422, 'SKU_NOT_SOLD', undefined],
      [422, 'CART_FULL', undefined],
    ])('passes %i %s on as problem+json with its details', async (status, code, details) => {
      cart.refuseNext({
        status,
        code,
        message: `refused: ${code}`,
        ...(details ? { details } : {}),
      });
      const res = await send(
        'POST',
        '/v1/cart/items',
        { 'x-cart-id': GUEST_CART },
        { sku: 'NOR-000001-1', quantity: 5 },
      );
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toMatchObject({ status, code, detail: `refused: ${code}` });
      expect(res.json().details).toEqual(details);
    });

    it('passes 422 COUPON_INVALID on with the code and the reason', async () => {
      const details = { code: 'SPRING10', reason: 'expired' };
      cart.refuseNext({ status: 422, code: 'COUPON_INVALID', message: 'expired', details });
      const res = await send('POST', '/v1/cart/coupons', {}, { code: 'SPRING10' });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'COUPON_INVALID', details });
    });
  });
});
