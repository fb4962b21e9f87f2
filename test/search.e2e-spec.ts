import { randomBytes } from 'node:crypto';
import { SearchProducts, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { generateCatalog } from '@mercato/demo-data';
import { RemoteError } from '@mercato/messaging';
import { eventually, firstLeaf, productBody } from './support/commerce.specs';
import {
  call,
  startEmbeddedStore,
  type RunningStore,
  STORE_CLOSE_MS,
} from './support/embedded-store';
import { newSeller, signInAdmin } from './support/shop-accounts';

/*
 * Product search on the embedded store, asked over its bus as the gateway will ask it: the
 * index is filled from the seeded catalog at start and kept current by catalog and inventory
 * events.
 */
jest.setTimeout(120_000);

const PRODUCTS = 300;
/** The demo catalog the store is seeded with (deterministic, every product sold everywhere). */
const CATALOG = [...generateCatalog({ seed: 42, products: PRODUCTS })];
/** How soon a change must be searchable. */
const LAG_MS = 2_000;

let store: RunningStore;
let adminToken: string;

const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  call(store.baseUrl, method, path, { body, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const unique = () => randomBytes(4).toString('hex');

type Search = Partial<RequestOf<typeof SearchProducts>>;
const search = (request: Search): Promise<ResponseOf<typeof SearchProducts>> =>
  store.bus.request(SearchProducts, { region: 'us', limit: 100, ...request });

async function refusal(request: Search): Promise<RemoteError> {
  const error = await search(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

beforeAll(async () => {
  store = await startEmbeddedStore({ MERCATO_SEED_PRODUCTS: String(PRODUCTS) });
  adminToken = await signInAdmin(store.baseUrl);
  // The backfill at start indexes the seeded catalog in the background.
  await eventually(
    async () => ((await search({ limit: 1 })).total === PRODUCTS ? true : undefined),
    60_000,
    'the seeded catalog in the index',
  );
}, 120_000);
afterAll(() => store?.close(), STORE_CLOSE_MS);

describe('search over the seeded catalog', () => {
  const product = CATALOG[7];

  it('finds a product by its title and fills the hit from its detail in the region', async () => {
    const result = await search({ q: product.title, region: 'eu' });
    const hit = result.hits.find((h) => h.productId === product.productId);
    const lowestEu = Math.min(...product.variants.map((v) => v.prices.eu.amount));
    expect(hit).toMatchObject({
      title: product.title,
      brand: product.brand,
      categoryId: product.categoryId,
      price: { amount: lowestEu, currency: 'EUR' },
    });
    expect(result.tookMs).toBeGreaterThanOrEqual(0);
  });

  it('narrows to a category and everything below it', async () => {
    const department = product.categoryPath[0];
    const inDepartment = CATALOG.filter((p) => p.categoryPath.includes(department));
    const result = await search({ categoryId: department });
    expect(result.total).toBe(inDepartment.length);
    expect(result.total).toBeLessThan(PRODUCTS);
    const ids = new Set(inDepartment.map((p) => p.productId));
    expect(result.hits.every((h) => ids.has(h.productId))).toBe(true);
  });

  it('narrows to a brand', async () => {
    const ofBrand = CATALOG.filter((p) => p.brand === product.brand);
    const result = await search({ brand: product.brand });
    expect(result.total).toBe(ofBrand.length);
    expect(result.hits.map((h) => h.brand)).toEqual(ofBrand.map(() => product.brand));
  });

  it('pages through every match with its cursor, each product once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search({ limit: 70, ...(cursor ? { cursor } : {}) });
      seen.push(...page.hits.map((h) => h.productId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(PRODUCTS);
    expect(new Set(seen).size).toBe(PRODUCTS);
  });

  it('refuses a cursor of another query with 400 INVALID_CURSOR', async () => {
    const first = await search({ limit: 10 });
    expect(first.nextCursor).not.toBeNull();
    const error = await refusal({ brand: product.brand, cursor: first.nextCursor! });
    expect(error).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    expect(await refusal({ cursor: 'garbage' })).toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('refuses a text over 200 characters with 400 QUERY_TOO_LONG', async () => {
    expect(await refusal({ q: 'boot '.repeat(41) })).toMatchObject({
      status: 400,
      code: 'QUERY_TOO_LONG',
    });
  });

  it('takes query syntax as plain words, never as a query language', async () => {
    const everything = await search({ q: '* OR brand:*' });
    expect(everything.total).toBeLessThan(PRODUCTS);
    const quoted = await search({ q: `"${product.title}" AND -(x)` });
    expect(quoted.total).toBeLessThan(PRODUCTS);
  });
});

describe('a seller’s new product', () => {
  let sellerToken: string;
  let leafCategory: string;

  beforeAll(async () => {
    sellerToken = await newSeller(store.baseUrl, adminToken, 'Northwind Outfitters');
    leafCategory = firstLeaf((await api('GET', '/v1/categories')).body.items);
  });

  it('is found by its title within 2 seconds, and in stock only once restocked', async () => {
    const word = `zq${unique()}`;
    const sku = `SRCH-${unique().toUpperCase()}`;
    const created = await api(
      'POST',
      '/v1/seller/products',
      productBody(leafCategory, [sku], `Trailhead Boot ${word}`),
      bearer(sellerToken),
    );
    expect(created.status).toBe(201);
    const productId = created.body.productId as string;

    const found = await eventually(
      async () => (await search({ q: word })).hits.find((h) => h.productId === productId),
      LAG_MS,
      'the new product in search',
    );
    expect(found.value).toMatchObject({
      title: `Trailhead Boot ${word}`,
      brand: 'Northwind',
      price: { amount: 12_900, currency: 'USD' },
      available: false,
    });
    expect((await search({ q: word, inStock: true })).total).toBe(0);

    const restocked = await api(
      'POST',
      `/v1/admin/inventory/${sku}/restock`,
      { warehouseId: 'us-east', quantity: 5 },
      { ...bearer(adminToken), 'idempotency-key': `search-e2e-${unique()}` },
    );
    expect(restocked.status).toBe(200);
    await eventually(
      async () => ((await search({ q: word, inStock: true })).total === 1 ? true : undefined),
      LAG_MS,
      'the restocked product in stock',
    );
  });

  it('shows a new automatic promotion’s price after the re-index it starts', async () => {
    const word = `zq${unique()}`;
    const sku = `SRCH-${unique().toUpperCase()}`;
    const created = await api(
      'POST',
      '/v1/seller/products',
      productBody(leafCategory, [sku], `Trailhead Boot ${word}`),
      bearer(sellerToken),
    );
    expect(created.status).toBe(201);
    await eventually(
      async () => ((await search({ q: word })).total === 1 ? true : undefined),
      LAG_MS,
      'the new product in search',
    );
    const promotion = await api(
      'POST',
      '/v1/admin/promotions',
      {
        name: `10% off ${sku}`,
        kind: 'percentage',
        percentOff: 10,
        target: { type: 'skus', skus: [sku] },
        stacking: 'exclusive',
      },
      bearer(adminToken),
    );
    expect(promotion.status).toBe(201);
    // Every product is re-indexed (a promotion may change any price): a pass over the catalog.
    const repriced = await eventually(
      async () => {
        const [hit] = (await search({ q: word })).hits;
        return hit?.price.amount !== 12_900 ? hit : undefined;
      },
      15_000,
      'the promotion price in search',
    );
    expect(repriced.value.price).toEqual({ amount: 11_610, currency: 'USD' });
  });
});
