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

  const send = (method: 'GET' | 'POST', url: string, user?: TestUser, payload?: object) =>
    app.inject({ method, url, headers: user ? bearer(user) : {}, ...(payload ? { payload } : {}) });

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
});
