import { GetShopperHistory, type Shopper } from '@mercato/contracts';
import { call } from './embedded-store';
import { eventually, firstLeaf, productBody } from './commerce.specs';
import { newSeller, signInAdmin } from './shop-accounts';
import { bearer, checkout, newCustomer, restock, unique } from './shopping';
import type { StoreUnderTest } from './store-api.suite';

type Headers = Record<string, string>;

interface HistoryItem {
  eventId: string;
  type: string;
  productId?: string;
  source: string;
  occurredAt: string;
}

/** Bound of every wait for the bus: on the stack each event crosses Kafka. */
const SETTLES_MS = 15_000;

/**
 * The interaction stream (issue 21, first part) end to end, on any way of running the store:
 * `POST /v1/events` accepts what is valid and says why it refused the rest, accepted events
 * reach the shopper's history in the recommendation app, a sign-in brings a device's history
 * to the customer, cart adds and orders join it, and nothing refused ever reaches it.
 */
export function interactionSpecs(target: () => StoreUnderTest): void {
  const api = (method: string, path: string, body?: unknown, headers?: Headers) =>
    call(target().baseUrl, method, path, { body, headers });
  const device = () => `dev-${unique().toLowerCase()}`;
  const historyOf = async (shopper: Shopper, limit = 200): Promise<HistoryItem[]> =>
    (await target().bus.request(GetShopperHistory, { shopper, limit })).items as HistoryItem[];

  /** Waits until the shopper's history holds `count` items (or more), and answers it. */
  async function historyWith(shopper: Shopper, count: number): Promise<HistoryItem[]> {
    const { value } = await eventually(
      async () => {
        const items = await historyOf(shopper);
        return items.length >= count ? items : undefined;
      },
      SETTLES_MS,
      `${count} interactions of ${shopper.kind} ${shopper.id}`,
    );
    return value;
  }

  let productIds: string[];
  let sku: string;

  beforeAll(async () => {
    const admin = await signInAdmin(target().baseUrl);
    const seller = await newSeller(target().baseUrl, admin, 'Interaction Goods');
    const category = firstLeaf((await api('GET', '/v1/categories')).body.items);
    productIds = [];
    const skus = [`IX-${unique()}`, `IX-${unique()}`, `IX-${unique()}`];
    for (const [i, each] of skus.entries()) {
      const created = await api(
        'POST',
        '/v1/seller/products',
        productBody(category, [each], `Interaction boot ${i}`),
        bearer(seller),
      );
      expect(created.status).toBe(201);
      productIds.push(created.body.productId as string);
    }
    sku = skus[0];
    await restock(target().baseUrl, admin, sku, 'us-east', 20);
  });

  it('accepts a batch from a device and keeps it as the device’s history, newest first', async () => {
    const deviceId = device();
    const sent = await api(
      'POST',
      '/v1/events',
      [
        {
          type: 'page_view',
          productId: productIds[0],
          dwellMs: 4_000,
          occurredAt: new Date(Date.now() - 3_000).toISOString(),
        },
        { type: 'search', query: 'hiking boots', resultCount: 12 },
        {
          type: 'page_view',
          productId: productIds[1],
          occurredAt: new Date(Date.now() - 1_000).toISOString(),
        },
      ],
      { 'x-device-id': deviceId },
    );
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ accepted: 3, rejected: 0 });
    expect(sent.body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
    ]);

    const history = await historyWith({ kind: 'device', id: deviceId }, 3);
    expect(history.map((item) => item.type)).toEqual(['search', 'page_view', 'page_view']);
    expect(history.every((item) => item.source === 'client')).toBe(true);
    expect(new Set(history.map((item) => item.eventId))).toEqual(
      new Set(sent.body.results.map((r: { eventId: string }) => r.eventId)),
    );
  });

  it('gives a customer who signs in on a device that device’s earlier history', async () => {
    const deviceId = device();
    const viewed = await api(
      'POST',
      '/v1/events',
      { type: 'page_view', productId: productIds[2] },
      { 'x-device-id': deviceId },
    );
    expect(viewed.status).toBe(202);
    await historyWith({ kind: 'device', id: deviceId }, 1);

    const shopper = await newCustomer(target().baseUrl, { 'x-device-id': deviceId });
    const after = await api(
      'POST',
      '/v1/events',
      { type: 'page_view', productId: productIds[0] },
      { ...bearer(shopper.token), 'x-device-id': deviceId },
    );
    expect(after.status).toBe(202);

    const history = await historyWith({ kind: 'customer', id: shopper.customerId }, 2);
    expect(history.map((item) => item.productId)).toEqual([productIds[0], productIds[2]]);
  });

  it('adds a customer’s cart adds and purchases to their history, once each', async () => {
    const shopper = await newCustomer(target().baseUrl);
    const added = await api('POST', '/v1/cart/items', { sku, quantity: 2 }, bearer(shopper.token));
    expect(added.status).toBe(200);
    const placed = await checkout(target().baseUrl, shopper.token, `ix-${unique()}`);
    expect(placed.status).toBe(201);

    const history = await historyWith({ kind: 'customer', id: shopper.customerId }, 2);
    expect(history.map((item) => [item.type, item.source, item.productId])).toEqual([
      ['purchase', 'order', productIds[0]],
      ['add_to_cart', 'cart', productIds[0]],
    ]);
  });

  it('caps a flood from one shopper: what is beyond the per-minute cap is not kept', async () => {
    const deviceId = device();
    const batch = Array.from({ length: 100 }, () => ({
      type: 'page_view',
      productId: productIds[0],
    }));
    for (let i = 0; i < 2; i += 1) {
      const sent = await api('POST', '/v1/events', batch, { 'x-device-id': deviceId });
      expect(sent.status).toBe(202);
    }
    // The default cap is 120 events a minute; wait until the stream has settled at it.
    const history = await historyWith({ kind: 'device', id: deviceId }, 120);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await historyOf({ kind: 'device', id: deviceId }, 500)).length).toBe(history.length);
    expect(history.length).toBe(120);
  });

  describe('bad input reaches no history', () => {
    it('refuses a single bad event with 400 and a code, and an anonymous one without a device id', async () => {
      const deviceId = device();
      for (const bad of [
        { type: 'teleport', productId: productIds[0] },
        { type: 'page_view' },
        { type: 'search' },
        { type: 'page_view', productId: productIds[0], colour: 'red' },
        { type: 'page_view', productId: `P-NOPE-${unique()}` },
        { type: 'page_view', productId: productIds[0], occurredAt: '2030-01-01T00:00:00Z' },
        { type: 'page_view', productId: productIds[0], occurredAt: '2020-01-01T00:00:00Z' },
        { type: 'page_view', productId: productIds[0], occurredAt: 'yesterday' },
      ]) {
        const answer = await api('POST', '/v1/events', bad, { 'x-device-id': deviceId });
        expect({ bad, status: answer.status }).toEqual({ bad, status: 400 });
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.body.code).toEqual(expect.any(String));
      }
      const anonymous = await api('POST', '/v1/events', {
        type: 'page_view',
        productId: productIds[0],
      });
      expect(anonymous.status).toBe(400);
      expect(anonymous.body.code).toBe('DEVICE_ID_REQUIRED');

      // A good event afterwards is the only thing the device's history ever holds.
      const good = await api(
        'POST',
        '/v1/events',
        { type: 'page_view', productId: productIds[1] },
        { 'x-device-id': deviceId },
      );
      expect(good.status).toBe(202);
      const history = await historyWith({ kind: 'device', id: deviceId }, 1);
      expect(history.map((item) => item.productId)).toEqual([productIds[1]]);
    });

    it('answers a mixed batch per event and stores only the accepted ones', async () => {
      const deviceId = device();
      const sent = await api(
        'POST',
        '/v1/events',
        [
          { type: 'page_view', productId: productIds[0] },
          { type: 'page_view', productId: `P-NOPE-${unique()}` },
          { type: 'add_to_cart', productId: productIds[1], quantity: 1 },
          { type: 'nonsense' },
        ],
        { 'x-device-id': deviceId },
      );
      expect(sent.status).toBe(202);
      expect(sent.body).toMatchObject({ accepted: 2, rejected: 2 });
      expect(sent.body.results).toEqual([
        expect.objectContaining({ index: 0, status: 'accepted' }),
        expect.objectContaining({ index: 1, status: 'rejected', code: expect.any(String) }),
        expect.objectContaining({ index: 2, status: 'accepted' }),
        expect.objectContaining({ index: 3, status: 'rejected', code: expect.any(String) }),
      ]);
      const history = await historyWith({ kind: 'device', id: deviceId }, 2);
      expect(history.map((item) => item.productId).sort()).toEqual(
        [productIds[0], productIds[1]].sort(),
      );
    });

    it('refuses a batch over 100 events (400) and a body over 256 KB (413)', async () => {
      const deviceId = device();
      const event = { type: 'page_view', productId: productIds[0] };
      const tooMany = await api('POST', '/v1/events', Array(101).fill(event), {
        'x-device-id': deviceId,
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.code).toEqual(expect.any(String));
      const huge = await call(target().baseUrl, 'POST', '/v1/events', {
        body: { type: 'search', query: 'z'.repeat(300_000) },
        headers: { 'x-device-id': deviceId },
      });
      expect(huge.status).toBe(413);
      expect(huge.body.code).toEqual(expect.any(String));
    });
  });
}
