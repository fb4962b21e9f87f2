import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FakeOrderService } from '../../test/support/fake-shop-services';
import { bearer, startGatewayTestApp, type TestUser } from '../../test/support/gateway-test-app';
import { OrdersGatewayModule } from './orders-gateway.module';

/** The order read and review routes over HTTP, with a fake order service on the bus. */
describe('Orders HTTP API', () => {
  let app: NestFastifyApplication;
  let orders: FakeOrderService;
  const ORDER = 'o-5b1f0c9e7d2a4c31';

  beforeAll(async () => {
    app = await startGatewayTestApp([OrdersGatewayModule], [FakeOrderService]);
    orders = app.get(FakeOrderService);
  });
  afterAll(() => app?.close());

  const send = (
    method: 'GET' | 'POST',
    url: string,
    user?: TestUser,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url,
      headers: { ...(user ? bearer(user) : {}), ...headers },
      ...(payload ? { payload } : {}),
    });

  describe('the customer’s orders', () => {
    it('lists the caller’s orders with the filter and page asked', async () => {
      const res = await send('GET', '/v1/orders?status=on_hold&limit=5&cursor=abc', 'ann');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [], nextCursor: null });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(orders.last()).toMatchObject({
        type: 'order.orders.list',
        payload: { customerId: 'c-ann', status: 'on_hold', limit: 5, cursor: 'abc' },
      });
    });

    it('answers 400 for an unknown status, a limit over 100 or an unknown parameter', async () => {
      for (const query of ['status=lost', 'limit=101', 'customerId=c-bob']) {
        expect((await send('GET', `/v1/orders?${query}`, 'ann')).statusCode).toBe(400);
      }
    });

    it('reads one order and its history as the caller', async () => {
      expect((await send('GET', `/v1/orders/${ORDER}`, 'ann')).json()).toMatchObject({
        orderId: ORDER,
      });
      expect(orders.last()).toMatchObject({
        type: 'order.order.get',
        payload: { orderId: ORDER, customerId: 'c-ann' },
        key: ORDER,
      });
      const events = await send('GET', `/v1/orders/${ORDER}/events`, 'ann');
      expect(events.json()).toEqual({ orderId: ORDER, items: [] });
      expect(orders.last()).toMatchObject({
        type: 'order.order.history',
        payload: { orderId: ORDER, customerId: 'c-ann' },
      });
    });

    it('passes 404 ORDER_NOT_FOUND on for another customer’s order', async () => {
      orders.refuseNext({ status: 404, code: 'ORDER_NOT_FOUND', message: `No order ${ORDER}` });
      const res = await send('GET', `/v1/orders/${ORDER}`, 'bob');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('answers 401 without a token and 403 to staff', async () => {
      expect((await send('GET', '/v1/orders')).statusCode).toBe(401);
      expect((await send('GET', '/v1/orders', 'ada')).statusCode).toBe(403);
    });

    it('answers 400 for a malformed order id, asking nothing', async () => {
      const before = orders.received.length;
      expect((await send('GET', '/v1/orders/o%20x', 'ann')).statusCode).toBe(400);
      expect(orders.received).toHaveLength(before);
    });
  });

  describe('admin', () => {
    it('lists by status and customer, and reads an order', async () => {
      expect(
        (await send('GET', '/v1/admin/orders?status=on_hold&customerId=c-ann', 'ada')).statusCode,
      ).toBe(200);
      expect(orders.last()).toMatchObject({
        type: 'order.admin.list',
        payload: { status: 'on_hold', customerId: 'c-ann', limit: 20 },
      });
      const res = await send('GET', `/v1/admin/orders/${ORDER}`, 'ada');
      expect(res.json()).toMatchObject({ orderId: ORDER, fraud: null });
    });

    it('approves and rejects as the admin of the token, with the reason', async () => {
      // No body at all is no reason.
      const approved = await send('POST', `/v1/admin/orders/${ORDER}/approve`, 'ada');
      expect(approved.statusCode).toBe(200);
      expect(orders.last().payload).toEqual({
        orderId: ORDER,
        decision: 'approve',
        adminId: 'a-ada',
      });
      await send('POST', `/v1/admin/orders/${ORDER}/reject`, 'ada', { reason: 'stolen card' });
      expect(orders.last().payload).toEqual({
        orderId: ORDER,
        decision: 'reject',
        adminId: 'a-ada',
        reason: 'stolen card',
      });
    });

    it('refuses an adminId in the body, and passes 409 on when the order is not on hold', async () => {
      expect(
        (await send('POST', `/v1/admin/orders/${ORDER}/approve`, 'ada', { adminId: 'x' }))
          .statusCode,
      ).toBe(400);
      orders.refuseNext({ status: 409, code: 'ORDER_TRANSITION_REFUSED', message: 'not on hold' });
      const res = await send('POST', `/v1/admin/orders/${ORDER}/approve`, 'ada', {});
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'ORDER_TRANSITION_REFUSED' });
    });

    it('answers 403 to a customer and a seller', async () => {
      expect((await send('GET', '/v1/admin/orders', 'ann')).statusCode).toBe(403);
      expect((await send('GET', `/v1/admin/orders/${ORDER}`, 'sam')).statusCode).toBe(403);
      expect((await send('POST', `/v1/admin/orders/${ORDER}/approve`, 'ann', {})).statusCode).toBe(
        403,
      );
    });
  });

  describe('seller', () => {
    it('lists the orders of the token’s seller', async () => {
      expect((await send('GET', '/v1/seller/orders?limit=10', 'sam')).statusCode).toBe(200);
      expect(orders.last()).toMatchObject({
        type: 'order.seller.list',
        payload: { sellerId: 's-sam', limit: 10 },
        key: 's-sam',
      });
    });

    it('answers 403 to a customer and refuses a sellerId parameter', async () => {
      expect((await send('GET', '/v1/seller/orders', 'ann')).statusCode).toBe(403);
      expect((await send('GET', '/v1/seller/orders?sellerId=s-other', 'sam')).statusCode).toBe(400);
    });
  });

  describe('cancellation', () => {
    it('cancels as the customer of the token, with or without a reason', async () => {
      const res = await send('POST', `/v1/orders/${ORDER}/cancel`, 'ann');
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toMatchObject({ orderId: ORDER, status: 'cancelled' });
      expect(orders.last()).toMatchObject({
        type: 'order.order.cancel',
        key: ORDER,
        payload: { orderId: ORDER, customerId: 'c-ann', actor: { kind: 'customer', id: 'c-ann' } },
      });
      expect(orders.last().payload).not.toHaveProperty('reason');
      await send('POST', `/v1/orders/${ORDER}/cancel`, 'ann', { reason: 'wrong size' });
      expect(orders.last().payload.reason).toBe('wrong size');
    });

    it('cancels as an admin without naming a customer', async () => {
      const res = await send('POST', `/v1/admin/orders/${ORDER}/cancel`, 'ada', {
        reason: 'fraud',
      });
      expect(res.statusCode).toBe(200);
      expect(orders.last().payload).toEqual({
        orderId: ORDER,
        actor: { kind: 'admin', id: 'a-ada' },
        reason: 'fraud',
      });
    });

    it('answers 400 for an unknown field or an empty reason, asking nothing', async () => {
      const before = orders.received.length;
      for (const body of [{ customerId: 'c-bob' }, { reason: '  ' }]) {
        expect((await send('POST', `/v1/orders/${ORDER}/cancel`, 'ann', body)).statusCode).toBe(
          400,
        );
      }
      expect(orders.received).toHaveLength(before);
    });

    it.each([
      [404, 'ORDER_NOT_FOUND', undefined],
      [409, 'ORDER_ALREADY_SHIPPED', { shipped: ['sh-us-east-1'] }],
      [409, 'ORDER_NOT_CANCELLABLE', undefined],
    ])('passes %i %s on with its details', async (status, code, details) => {
      orders.refuseNext({ status, code, message: 'refused', ...(details ? { details } : {}) });
      const res = await send('POST', `/v1/orders/${ORDER}/cancel`, 'ann');
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual(
        expect.objectContaining({ code, ...(details ? { details } : {}) }),
      );
    });

    it('answers 403 to staff on the customer route, and to customers and sellers on the admin one', async () => {
      expect((await send('POST', `/v1/orders/${ORDER}/cancel`, 'ada')).statusCode).toBe(403);
      for (const user of ['ann', 'sam'] as const) {
        expect((await send('POST', `/v1/admin/orders/${ORDER}/cancel`, user)).statusCode).toBe(403);
      }
      expect((await send('POST', `/v1/orders/${ORDER}/cancel`)).statusCode).toBe(401);
    });
  });

  describe('returns', () => {
    const ITEM = { sku: 'NOR-000001-1', quantity: 1, reason: 'Too small', condition: 'resellable' };
    const RETURNS = `/v1/orders/${ORDER}/returns`;

    it('requests a return as the customer of the token and answers 201 with it', async () => {
      const res = await send('POST', RETURNS, 'ann', { items: [ITEM] });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ orderId: ORDER, status: 'requested' });
      expect(orders.last()).toMatchObject({ type: 'order.returns.request', key: ORDER });
      expect(orders.last().payload).toEqual({ orderId: ORDER, customerId: 'c-ann', items: [ITEM] });
    });

    it('passes an Idempotency-Key on, and refuses a malformed one', async () => {
      await send('POST', RETURNS, 'ann', { items: [ITEM] }, { 'idempotency-key': 'ret-1' });
      expect(orders.last().payload.idempotencyKey).toBe('ret-1');
      const long = { 'idempotency-key': 'k'.repeat(129) };
      expect((await send('POST', RETURNS, 'ann', { items: [ITEM] }, long)).statusCode).toBe(400);
    });

    it.each([
      ['quantity 0', { items: [{ ...ITEM, quantity: 0 }] }, 'items.0.quantity'],
      ['an unknown condition', { items: [{ ...ITEM, condition: 'worn' }] }, 'items.0.condition'],
      ['no items', { items: [] }, 'items'],
      ['an unknown item field', { items: [{ ...ITEM, refund: 1 }] }, 'items.0.refund'],
    ])('answers 400 naming the field for %s, asking nothing', async (_case, body, field) => {
      const before = orders.received.length;
      const res = await send('POST', RETURNS, 'ann', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe(field);
      expect(orders.received).toHaveLength(before);
    });

    it.each([
      [404, 'ORDER_NOT_FOUND', undefined],
      [422, 'RETURN_WINDOW_CLOSED', undefined],
      [422, 'RETURN_EXCEEDS_DELIVERED', { items: [{ sku: 'NOR-000001-1', requested: 3 }] }],
      [422, 'IDEMPOTENCY_KEY_REUSED', undefined],
    ])('passes %i %s on with its details', async (status, code, details) => {
      orders.refuseNext({ status, code, message: 'refused', ...(details ? { details } : {}) });
      const res = await send('POST', RETURNS, 'ann', { items: [ITEM] });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual(
        expect.objectContaining({ code, ...(details ? { details } : {}) }),
      );
    });

    it('answers 403 to staff', async () => {
      expect((await send('POST', RETURNS, 'ada', { items: [ITEM] })).statusCode).toBe(403);
    });
  });
});
