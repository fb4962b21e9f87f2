import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FakeOrderService } from '../../test/support/fake-shop-services';
import {
  apiKey,
  bearer,
  startGatewayTestApp,
  type TestApiKey,
  type TestUser,
} from '../../test/support/gateway-test-app';
import { FulfillmentGatewayModule } from './fulfillment-gateway.module';

/** The warehouse routes over HTTP, with a fake order service on the bus. */
describe('Fulfillment HTTP API', () => {
  let app: NestFastifyApplication;
  let orders: FakeOrderService;
  const ORDER = 'o-5b1f0c9e7d2a4c31';
  const EVENTS = `/v1/fulfillment/${ORDER}/events`;
  const RECEIVE = `/v1/fulfillment/${ORDER}/returns/r-7c2e9a41/receive`;
  const EVENT = {
    shipmentId: 'sh-eu-west-1',
    eventId: 'wh-eu-000123',
    type: 'shipped',
    occurredAt: '2026-12-07T16:40:00+01:00',
    trackingNumber: '1Z999AA10123456784',
  };

  beforeAll(async () => {
    app = await startGatewayTestApp([FulfillmentGatewayModule], [FakeOrderService]);
    orders = app.get(FakeOrderService);
  });
  afterAll(() => app?.close());

  const post = (url: string, as?: TestUser | TestApiKey, payload?: object) =>
    app.inject({
      method: 'POST',
      url,
      headers:
        as === undefined
          ? {}
          : as.startsWith('key-')
            ? apiKey(as as TestApiKey)
            : bearer(as as TestUser),
      ...(payload ? { payload } : {}),
    });

  describe('who may call', () => {
    it('answers 401 without a key or a token, asking nothing', async () => {
      const before = orders.received.length;
      expect((await post(EVENTS, undefined, EVENT)).statusCode).toBe(401);
      expect((await post(RECEIVE)).statusCode).toBe(401);
      expect(orders.received).toHaveLength(before);
    });

    it('answers 403 to a key without the fulfillment scope', async () => {
      const res = await post(EVENTS, 'key-stock-feed', EVENT);
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toContain('fulfillment');
      expect((await post(RECEIVE, 'key-stock-feed')).statusCode).toBe(403);
    });

    it('answers 403 to a seller’s token and a customer’s, though sellers pass other partner routes', async () => {
      for (const user of ['sam', 'ann'] as const) {
        expect((await post(EVENTS, user, EVENT)).statusCode).toBe(403);
        expect((await post(RECEIVE, user)).statusCode).toBe(403);
      }
    });

    it('sends the key as the caller, with the warehouse it is bound to', async () => {
      expect((await post(EVENTS, 'key-eu-dock', EVENT)).statusCode).toBe(200);
      expect(orders.last()).toMatchObject({
        type: 'order.fulfillment.record',
        key: ORDER,
        payload: { caller: { kind: 'partner', id: 'ak_eu_dock', warehouseId: 'eu-west' } },
      });
    });

    it('sends an unbound key without a warehouse, and an admin as an admin', async () => {
      await post(EVENTS, 'key-any-dock', EVENT);
      expect(orders.last().payload.caller).toEqual({ kind: 'partner', id: 'ak_any_dock' });
      expect((await post(EVENTS, 'ada', EVENT)).statusCode).toBe(200);
      expect(orders.last().payload.caller).toEqual({ kind: 'admin', id: 'a-ada' });
    });
  });

  describe('POST /v1/fulfillment/{orderId}/events', () => {
    it('passes the event on and answers 200 with the result, uncached', async () => {
      const res = await post(EVENTS, 'key-eu-dock', EVENT);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        orderId: ORDER,
        shipmentId: EVENT.shipmentId,
        eventId: EVENT.eventId,
        shipmentStatus: 'shipped',
        orderStatus: 'shipped',
      });
      expect(orders.last().payload).toEqual({
        ...EVENT,
        orderId: ORDER,
        caller: { kind: 'partner', id: 'ak_eu_dock', warehouseId: 'eu-west' },
      });
    });

    it.each([
      ['a malformed tracking number', { trackingNumber: '1Z<b>' }, 'trackingNumber', 'Use 6–40'],
      [
        'a timestamp without an offset',
        { occurredAt: '2026-12-07 16:40' },
        'occurredAt',
        'Invalid ISO datetime',
      ],
      ['an unknown step', { type: 'lost' }, 'type', ''],
      ['an unknown field', { carrier: 'UPS' }, 'carrier', 'Unknown field'],
    ])('answers 400 for %s, asking nothing', async (_case, change, field, message) => {
      const before = orders.received.length;
      const res = await post(EVENTS, 'key-eu-dock', { ...EVENT, ...change });
      expect(res.statusCode).toBe(400);
      const errors = res.json().errors as { field: string; message: string }[];
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            field,
            message: expect.stringContaining(message),
          }),
        ]),
      );
      expect(orders.received).toHaveLength(before);
    });

    it.each([
      [404, 'ORDER_NOT_FOUND'],
      [404, 'SHIPMENT_NOT_FOUND'],
      [409, 'SHIPMENT_CANCELLED'],
      [409, 'ORDER_NOT_FULFILLING'],
      [422, 'EVENT_ID_REUSED'],
    ])('passes %i %s on as problem+json', async (status, code) => {
      orders.refuseNext({ status, code, message: `refused: ${code}` });
      const res = await post(EVENTS, 'key-eu-dock', EVENT);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status, code, detail: `refused: ${code}` });
    });
  });

  describe('POST /v1/fulfillment/{orderId}/returns/{returnId}/receive', () => {
    it('passes the receipt on with the caller and answers 200 with the return', async () => {
      const res = await post(RECEIVE, 'key-eu-dock');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        orderId: ORDER,
        returnId: 'r-7c2e9a41',
        status: 'received',
      });
      expect(orders.last()).toMatchObject({
        type: 'order.returns.receive',
        key: ORDER,
        payload: {
          orderId: ORDER,
          returnId: 'r-7c2e9a41',
          caller: { kind: 'partner', id: 'ak_eu_dock', warehouseId: 'eu-west' },
        },
      });
    });

    it.each(['ORDER_NOT_FOUND', 'RETURN_NOT_FOUND'])('passes 404 %s on', async (code) => {
      orders.refuseNext({ status: 404, code, message: 'not here' });
      const res = await post(RECEIVE, 'ada');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code });
    });

    it('answers 400 for a malformed return id, asking nothing', async () => {
      const before = orders.received.length;
      const res = await post(`/v1/fulfillment/${ORDER}/returns/r%20x/receive`, 'ada');
      expect(res.statusCode).toBe(400);
      expect(orders.received).toHaveLength(before);
    });
  });
});
