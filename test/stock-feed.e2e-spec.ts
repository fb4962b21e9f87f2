import { generateCatalog } from '@mercato/demo-data';
import { WAREHOUSES } from '@mercato/contracts';
import { ADMIN } from './support/commerce.specs';
import {
  call,
  startEmbeddedStore,
  type RunningStore,
  STORE_CLOSE_MS,
} from './support/embedded-store';

/**
 * A warehouse system's full stock sync: 10,000 rows of which 1% are bad. The store is seeded
 * with enough demo products for 9,900 distinct (SKU, warehouse) pairs; the demo data is
 * deterministic, so the test knows the SKUs without asking.
 */
const PRODUCTS = 1_300;
const ROWS = 10_000;

// The feed took 44 s on a quiet machine (2026-11-25) and 98–195 s under the full suite on a slow
// day (2026-12-03): the limit is there to catch a hang, not to time the feed.
jest.setTimeout(600_000);

let store: RunningStore;
let adminToken: string;

beforeAll(async () => {
  store = await startEmbeddedStore({ MERCATO_SEED_PRODUCTS: String(PRODUCTS) });
  const login = await call(store.baseUrl, 'POST', '/v1/auth/login', { body: ADMIN });
  adminToken = login.body.accessToken;
}, 120_000);
afterAll(() => store?.close(), STORE_CLOSE_MS);

/** Every tenth-of-a-percent row is bad, in one of five ways. */
const BAD_ROWS: ((sku: string) => unknown)[] = [
  (sku) => ({ sku, warehouseId: 'us-east', onHand: -5 }),
  (sku) => ({ sku, warehouseId: 'us-east', onHand: 2.5 }),
  () => ({ sku: 'NO-SUCH-SKU-1', warehouseId: 'us-east', onHand: 1 }),
  (sku) => ({ sku, warehouseId: 'atlantis', onHand: 1 }),
  (sku) => ({ sku, warehouseId: 'us-east' }),
];

/** The demo catalog the store is seeded with (deterministic), and each SKU's product. */
const CATALOG = [...generateCatalog({ seed: 42, products: PRODUCTS })];
const PRODUCT_OF_SKU = new Map(
  CATALOG.flatMap((product) => product.variants.map((v) => [v.sku, product.productId] as const)),
);

function buildFeed(): {
  rows: unknown[];
  good: { sku: string; warehouseId: string; onHand: number }[];
} {
  const pairs = CATALOG.flatMap((product) => product.variants).flatMap((variant) =>
    WAREHOUSES.map((warehouseId) => ({
      sku: variant.sku,
      warehouseId,
      onHand: variant.stock[warehouseId] + 7, // differs from the seeded count: a real change
    })),
  );
  expect(pairs.length).toBeGreaterThanOrEqual(ROWS * 0.99);
  const rows: unknown[] = [];
  const good: typeof pairs = [];
  for (let row = 0; row < ROWS; row++) {
    if (row % 100 === 50) {
      rows.push(BAD_ROWS[((row / 100) % BAD_ROWS.length) | 0](pairs[0].sku));
    } else {
      const pair = pairs[good.length];
      good.push(pair);
      rows.push(pair);
    }
  }
  return { rows, good };
}

describe('POST /v1/seller/inventory/feed with 10,000 rows, 1% bad', () => {
  const { rows, good } = buildFeed();
  const send = () =>
    call(store.baseUrl, 'POST', '/v1/seller/inventory/feed', {
      body: rows,
      headers: { authorization: `Bearer ${adminToken}` },
    });

  it('applies the good rows and rejects each bad row with its reason', async () => {
    const started = Date.now();
    const response = await send();
    const seconds = (Date.now() - started) / 1000;
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({
      rows: ROWS,
      applied: 9_900,
      unchanged: 0,
      rejected: 100,
    });
    const rejected = response.body.results.filter(
      (r: { status: string }) => r.status === 'rejected',
    );
    expect(rejected.map((r: { row: number }) => r.row)).toEqual(
      Array.from({ length: 100 }, (_, i) => i * 100 + 50),
    );
    for (const result of rejected) expect(result.reason).toEqual(expect.any(String));
    process.stderr.write(`[feed] 10,000 rows applied in ${seconds.toFixed(1)} s\n`);

    // Spot checks through the public availability route.
    for (const pair of [good[0], good[4_321], good[good.length - 1]]) {
      const detail = await call(store.baseUrl, 'GET', `/v1/products?limit=1`);
      expect(detail.status).toBe(200);
      const productId = PRODUCT_OF_SKU.get(pair.sku)!;
      const stock = await call(store.baseUrl, 'GET', `/v1/products/${productId}/availability`);
      const sku = stock.body.variants.find((v: { sku: string }) => v.sku === pair.sku);
      const warehouse = sku.warehouses.find(
        (w: { warehouseId: string }) => w.warehouseId === pair.warehouseId,
      );
      expect(warehouse.available).toBe(pair.onHand);
    }
  });

  it('changes nothing when the same feed is sent again', async () => {
    const response = await send();
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({
      rows: ROWS,
      applied: 0,
      unchanged: 9_900,
      rejected: 100,
    });
  });
});
