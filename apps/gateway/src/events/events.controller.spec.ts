import { Injectable, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CacheModule } from '@mercato/cache';
import { ConfigModule } from '@mercato/config';
import {
  GetAvailability,
  GetProduct,
  InteractionReceived,
  type ProductDetail,
  type RequestOf,
} from '@mercato/contracts';
import { MessageBus, OnRequest } from '@mercato/messaging';
import { bearer, startGatewayTestApp, type TestUser } from '../../test/support/gateway-test-app';
import { testConfig } from '../../test/support/identity-test-support';
import { EventsGatewayModule } from './events-gateway.module';

/** The catalog and inventory on the bus: products `p-…` exist, `x-…` do not. */
@Injectable()
class FakeCatalog {
  asked: string[] = [];
  down = false;

  @OnRequest(GetProduct)
  async product({ productId, region }: RequestOf<typeof GetProduct>): Promise<ProductDetail> {
    this.asked.push(productId);
    if (this.down) throw Object.assign(new Error('catalog away'), { status: 503, code: 'DOWN' });
    if (!productId.startsWith('p-')) {
      throw Object.assign(new Error('no such product'), { status: 404, code: 'PRODUCT_NOT_FOUND' });
    }
    return {
      productId,
      title: 'Laptop',
      description: 'A laptop',
      brand: 'Northwind',
      category: { categoryId: 'laptops', name: 'Laptops', path: [] },
      images: [],
      specs: {},
      rating: { average: 4.5, count: 10 },
      region,
      variants: [],
      createdAt: '2026-01-01T00:00:00.000Z',
    };
  }

  @OnRequest(GetAvailability)
  async availability() {
    return { items: [] };
  }
}

/** The gateway's config and an in-memory cache, as the gateway root provides them. */
@Module({
  imports: [ConfigModule.forRoot(testConfig()), CacheModule.forRoot({ MERCATO_CACHE: 'memory' })],
})
class GatewayInfrastructure {}

/** `POST /v1/events` over HTTP, the bus's publish watched. */
describe('Events HTTP API', () => {
  let app: NestFastifyApplication;
  let catalog: FakeCatalog;
  let publish: jest.SpyInstance;
  let productSeq = 0;
  /** A product no earlier test asked for, so no cached answer hides a lookup. */
  const freshProduct = (prefix = 'p') => `${prefix}-${++productSeq}`;

  beforeAll(async () => {
    app = await startGatewayTestApp([GatewayInfrastructure, EventsGatewayModule], [FakeCatalog]);
    catalog = app.get(FakeCatalog);
    publish = jest.spyOn(app.get(MessageBus), 'publish');
  });
  beforeEach(() => {
    publish.mockClear();
    catalog.asked = [];
    catalog.down = false;
  });
  afterAll(() => app?.close());

  const send = (
    payload: unknown,
    { user, device, region }: { user?: TestUser; device?: string; region?: string } = {},
  ) =>
    app.inject({
      method: 'POST',
      url: '/v1/events',
      payload: payload as object,
      headers: {
        'content-type': 'application/json',
        ...(user ? bearer(user) : {}),
        ...(device ? { 'x-device-id': device } : {}),
        ...(region ? { 'x-region': region } : {}),
      },
    });
  const published = () =>
    publish.mock.calls
      .filter(([contract]) => contract === InteractionReceived)
      .map(([, data, options]) => ({ data, key: options.key }));

  it('accepts one event from a device and hands it on keyed by the device', async () => {
    const productId = freshProduct();
    const res = await send({ type: 'page_view', productId, dwellMs: 900 }, { device: 'd-1' });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toEqual({
      accepted: 1,
      rejected: 0,
      results: [{ index: 0, status: 'accepted', eventId: expect.any(String) }],
    });
    expect(published()).toEqual([
      {
        key: 'device:d-1',
        data: {
          type: 'page_view',
          productId,
          dwellMs: 900,
          eventId: body.results[0].eventId,
          shopper: { kind: 'device', id: 'd-1' },
          deviceId: 'd-1',
          region: 'us',
          occurredAt: expect.any(String),
          receivedAt: expect.any(String),
        },
      },
    ]);
  });

  it('makes a customer the shopper, in their region, carrying their device', async () => {
    const res = await send({ type: 'search', query: 'boots' }, { user: 'ann', device: 'd-2' });
    expect(res.statusCode).toBe(202);
    expect(published()).toEqual([
      {
        key: 'customer:c-ann',
        data: expect.objectContaining({
          shopper: { kind: 'customer', id: 'c-ann' },
          deviceId: 'd-2',
          region: 'eu',
        }),
      },
    ]);
    await send({ type: 'search', query: 'boots' }, { user: 'bob', region: 'ap' });
    expect(published().at(-1)?.data).toMatchObject({ region: 'ap' });
    expect(published().at(-1)?.data).not.toHaveProperty('deviceId');
  });

  it('answers a batch per event and hands on only the accepted ones, in order', async () => {
    const [known, unknown] = [freshProduct(), freshProduct('x')];
    const res = await send(
      [
        { type: 'add_to_cart', productId: known, quantity: 1 },
        { type: 'page_view', productId: unknown },
        { type: 'wishlist_add', productId: known },
        { type: 'search' },
        { type: 'search', query: 'laptop', resultCount: 4 },
        { type: 'page_view', productId: unknown },
      ],
      { device: 'd-3' },
    );
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 2, rejected: 4 });
    expect(body.results).toEqual([
      { index: 0, status: 'accepted', eventId: expect.any(String) },
      { index: 1, status: 'rejected', code: 'UNKNOWN_PRODUCT', message: expect.any(String) },
      { index: 2, status: 'rejected', code: 'INVALID_EVENT', message: expect.any(String) },
      { index: 3, status: 'rejected', code: 'MISSING_FIELD', message: expect.any(String) },
      { index: 4, status: 'accepted', eventId: expect.any(String) },
      { index: 5, status: 'rejected', code: 'UNKNOWN_PRODUCT', message: expect.any(String) },
    ]);
    expect(published().map(({ data, key }) => [data.type, data.eventId, key])).toEqual([
      ['add_to_cart', body.results[0].eventId, 'device:d-3'],
      ['search', body.results[4].eventId, 'device:d-3'],
    ]);
    // Each product once, though the unknown one was named twice.
    expect(catalog.asked.sort()).toEqual([known, unknown].sort());
  });

  it('answers 202 with the results when every event of a batch is refused', async () => {
    const res = await send([{ type: 'search' }, { type: 'page_view' }], { device: 'd-4' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 0, rejected: 2 });
    expect(published()).toEqual([]);
  });

  it('refuses one event for an unknown product with 400, handing nothing on', async () => {
    const res = await send({ type: 'page_view', productId: freshProduct('x') }, { device: 'd' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 400,
      code: 'UNKNOWN_PRODUCT',
      errors: [{ field: 'productId', message: 'unknown product' }],
    });
    expect(published()).toEqual([]);
  });

  it('refuses one invalid event with its code and fields, asking no catalog', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const cases = [
      [{ type: 'page_view', productId: 'p-1', colour: 'red' }, 'INVALID_EVENT', 'colour'],
      [{ type: 'recommendation_click', productId: 'p-1' }, 'MISSING_FIELD', 'list'],
      [{ type: 'search', query: 'x', occurredAt: future }, 'OCCURRED_AT_IN_FUTURE', 'occurredAt'],
    ] as const;
    for (const [event, code, field] of cases) {
      const res = await send(event, { device: 'd-5' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code, errors: [{ field }] });
    }
    expect(catalog.asked).toEqual([]);
    expect(published()).toEqual([]);
  });

  it('answers 400 DEVICE_ID_REQUIRED without a device or customer', async () => {
    for (const options of [{}, { user: 'ada' as const }]) {
      const res = await send({ type: 'search', query: 'x' }, options);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'DEVICE_ID_REQUIRED' });
    }
    const bad = await send({ type: 'search', query: 'x' }, { device: 'has space' });
    expect(bad.json()).toMatchObject({ status: 400, code: 'INVALID_DEVICE_ID' });
    expect(published()).toEqual([]);
  });

  it('answers 401 for a bad token rather than taking the device', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      payload: { type: 'search', query: 'x' },
      headers: { authorization: 'Bearer nobody', 'x-device-id': 'd-6' },
    });
    expect(res.statusCode).toBe(401);
    expect(published()).toEqual([]);
  });

  it('answers 400 for an empty batch and BATCH_TOO_LARGE over 100 events', async () => {
    const empty = await send([], { device: 'd-7' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    const many = await send(Array(101).fill({ type: 'search', query: 'x' }), { device: 'd-7' });
    expect(many.statusCode).toBe(400);
    expect(many.json()).toMatchObject({ code: 'BATCH_TOO_LARGE' });
    expect(published()).toEqual([]);
  });

  it('accepts 100 events, and answers 413 problem+json for a body over 256 KB', async () => {
    const full = await send(Array(100).fill({ type: 'search', query: 'x' }), { device: 'd-8' });
    expect(full.json()).toMatchObject({ accepted: 100 });
    const query = 'q'.repeat(200);
    const big = await send(Array(1400).fill({ type: 'search', query }), { device: 'd-8' });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(big.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 503 when the catalog cannot be asked, handing nothing on', async () => {
    catalog.down = true;
    const res = await send(
      [
        { type: 'search', query: 'x' },
        { type: 'page_view', productId: freshProduct() },
      ],
      { device: 'd-9' },
    );
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'PRODUCT_LOOKUP_UNAVAILABLE' });
    expect(published()).toEqual([]);
  });

  it('answers 503 when the bus does not take the events', async () => {
    publish.mockRejectedValueOnce(new Error('broker away'));
    const res = await send({ type: 'search', query: 'x' }, { device: 'd-10' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'EVENTS_UNAVAILABLE' });
  });
});
