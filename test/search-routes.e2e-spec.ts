import { randomBytes } from 'node:crypto';
import { SearchProducts } from '@mercato/contracts';
import { generateCatalog } from '@mercato/demo-data';
import { eventually } from './support/commerce.specs';
import {
  call,
  startEmbeddedStore,
  type RunningStore,
  STORE_CLOSE_MS,
} from './support/embedded-store';
import { signInAdmin } from './support/shop-accounts';

/*
 * The search routes of the gateway on the embedded store (docs/api.md, "Search and
 * discovery"): what a storefront sends over HTTP reaches the search service, and its answers
 * and refusals come back in the public shapes.
 */
jest.setTimeout(120_000);

const PRODUCTS = 300;
/** The demo catalog the store is seeded with (deterministic, every product sold everywhere). */
const CATALOG = [...generateCatalog({ seed: 42, products: PRODUCTS })];

let store: RunningStore;
let adminToken: string;
let customerToken: string;

const get = (path: string, headers: Record<string, string> = {}) =>
  call(store.baseUrl, 'GET', path, { headers });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(store.baseUrl, 'POST', path, { body, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function newCustomer(): Promise<string> {
  const account = {
    email: `shopper-${randomBytes(4).toString('hex')}@example.com`,
    password: 'shopper password 2026',
    name: 'Shopper',
    region: 'us',
  };
  expect((await post('/v1/auth/register', account)).status).toBe(201);
  const login = await post('/v1/auth/login', { email: account.email, password: account.password });
  return login.body.accessToken as string;
}

beforeAll(async () => {
  store = await startEmbeddedStore({ MERCATO_SEED_PRODUCTS: String(PRODUCTS) });
  adminToken = await signInAdmin(store.baseUrl);
  customerToken = await newCustomer();
  // The backfill at start indexes the seeded catalog in the background.
  await eventually(
    async () => {
      const { total } = await store.bus.request(SearchProducts, { region: 'us', limit: 1 });
      return total === PRODUCTS ? true : undefined;
    },
    60_000,
    'the seeded catalog in the index',
  );
}, 120_000);
afterAll(() => store?.close(), STORE_CLOSE_MS);

/** The word of a title that the fewest other titles share: a search for it finds the product. */
function rarestWord(title: string): string {
  const words = title.split(/\s+/).filter((word) => /^[A-Za-z]{4,}$/.test(word));
  const uses = (word: string) =>
    CATALOG.filter((p) => p.title.toLowerCase().includes(word.toLowerCase())).length;
  return words.sort((a, b) => uses(a) - uses(b))[0];
}

describe('GET /v1/search', () => {
  const product = CATALOG[7];

  it('finds a demo product by a word of its title, priced in the region’s currency', async () => {
    const res = await get(
      `/v1/search?q=${encodeURIComponent(rarestWord(product.title))}&limit=100`,
      {
        'x-region': 'eu',
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const lowestEu = Math.min(...product.variants.map((v) => v.prices.eu.amount));
    expect(res.body.hits).toContainEqual(
      expect.objectContaining({
        productId: product.productId,
        title: product.title,
        brand: product.brand,
        category: product.categoryId,
        price: { amount: lowestEu, currency: 'EUR' },
        ratingCount: expect.any(Number),
        available: expect.any(Boolean),
      }),
    );
    expect(res.body).toMatchObject({
      total: expect.any(Number),
      queryId: expect.any(String),
      tookMs: expect.any(Number),
    });
    expect(res.body).toHaveProperty('didYouMean');
    expect(res.body).toHaveProperty('nextCursor');
    expect(res.body).toHaveProperty('facets');
  });

  it('narrows to a brand', async () => {
    const ofBrand = CATALOG.filter((p) => p.brand === product.brand);
    const res = await get(`/v1/search?brand=${encodeURIComponent(product.brand)}&limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(ofBrand.length);
    expect(res.body.total).toBeLessThan(PRODUCTS);
    expect(new Set(res.body.hits.map((h: { brand: string }) => h.brand))).toEqual(
      new Set([product.brand]),
    );
  });

  it('narrows to a category and everything below it', async () => {
    const department = product.categoryPath[0];
    const inDepartment = CATALOG.filter((p) => p.categoryPath.includes(department));
    const res = await get(`/v1/search?category=${department}&limit=1`);
    expect(res.body.total).toBe(inDepartment.length);
  });

  it('orders by price, lowest first, with sort=price_asc', async () => {
    const res = await get(`/v1/search?sort=price_asc&limit=50`);
    expect(res.status).toBe(200);
    const prices = res.body.hits.map((h: { price: { amount: number } }) => h.price.amount);
    expect(prices).toHaveLength(50);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const cheapest = Math.min(
      ...CATALOG.map((p) => Math.min(...p.variants.map((v) => v.prices.us.amount))),
    );
    expect(prices[0]).toBe(cheapest);
  });

  it('keeps to the price range, in minor units of the region’s currency', async () => {
    const res = await get('/v1/search?minPrice=5000&maxPrice=20000&limit=100');
    expect(res.status).toBe(200);
    for (const hit of res.body.hits) {
      expect(hit.price.amount).toBeGreaterThanOrEqual(5000);
      expect(hit.price.amount).toBeLessThanOrEqual(20000);
    }
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['minPrice=-1', 'minPrice'],
    ['minPrice=500&maxPrice=100', 'minPrice'],
    ['rating=6', 'rating'],
    ['inStock=yes', 'inStock'],
    ['sort=cheapest', 'sort'],
    ['facets=brand,colour', 'facets'],
    ['colour=red', 'colour'],
  ])('answers 400 INVALID_REQUEST naming the parameter for %s', async (query, field) => {
    const res = await get(`/v1/search?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 400 QUERY_TOO_LONG for a q over 200 characters', async () => {
    const res = await get(`/v1/search?q=${'boot '.repeat(41).trim().replace(/ /g, '+')}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'QUERY_TOO_LONG' });
  });

  it('answers 400 INVALID_CURSOR for a cursor of another query', async () => {
    const first = await get('/v1/search?limit=10');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const other = await get(
      `/v1/search?brand=${encodeURIComponent(product.brand)}&cursor=${first.body.nextCursor}`,
    );
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    expect((await get('/v1/search?cursor=garbage')).body).toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('refuses explain to a customer with 403 EXPLAIN_REQUIRES_ADMIN', async () => {
    const res = await get('/v1/search?q=boot&explain=true', bearer(customerToken));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, code: 'EXPLAIN_REQUIRES_ADMIN' });
    expect((await get('/v1/search?q=boot&explain=true')).status).toBe(403);
  });

  it('explains each hit’s score to an admin', async () => {
    const res = await get('/v1/search?limit=5&explain=true', bearer(adminToken));
    expect(res.status).toBe(200);
    expect(res.body.hits.length).toBeGreaterThan(0);
    for (const hit of res.body.hits) {
      expect(hit.explain).toMatchObject({
        total: expect.any(Number),
        inStock: expect.any(Boolean),
      });
    }
  });

  it('answers 401 for a token that is not valid', async () => {
    expect((await get('/v1/search?q=boot', bearer('not-a-token'))).status).toBe(401);
  });
});

describe('GET /v1/search/suggest', () => {
  it('answers no suggestions for a single character', async () => {
    const res = await get('/v1/search/suggest?q=b');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ suggestions: [] });
  });

  it('answers 400 without q or with a limit over 10', async () => {
    expect((await get('/v1/search/suggest')).body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((await get('/v1/search/suggest?q=boot&limit=11')).status).toBe(400);
  });

  it('completes a title’s beginning with at most limit suggestions', async () => {
    const word = rarestWord(CATALOG[7].title);
    const res = await get(`/v1/search/suggest?q=${word.slice(0, 4)}&limit=5`);
    expect(res.status).toBe(200);
    expect(res.body.suggestions.length).toBeGreaterThan(0);
    expect(res.body.suggestions.length).toBeLessThanOrEqual(5);
  });
});

describe('POST /v1/search/feedback', () => {
  it('counts a click on a hit of a real search once: 202', async () => {
    const search = await get('/v1/search?q=boot&limit=5');
    expect(search.status).toBe(200);
    const feedback = {
      queryId: search.body.queryId,
      productId: search.body.hits[0]?.productId ?? CATALOG[0].productId,
      type: 'click',
    };
    const first = await post('/v1/search/feedback', feedback);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ counted: true });
    const again = await post('/v1/search/feedback', feedback, bearer(customerToken));
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ counted: false });
  });

  it('answers 400 INVALID_REQUEST for an unknown type', async () => {
    const res = await post('/v1/search/feedback', {
      queryId: 'q',
      productId: CATALOG[0].productId,
      type: 'purchase',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('answers 400 INVALID_QUERY_ID for a queryId no search issued', async () => {
    const res = await post('/v1/search/feedback', {
      queryId: 'made-up-query-id',
      productId: CATALOG[0].productId,
      type: 'add_to_cart',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'INVALID_QUERY_ID' });
  });
});

describe('GET /v1/admin/search/insights', () => {
  it('answers 401 without a token and 403 to a customer', async () => {
    expect((await get('/v1/admin/search/insights')).status).toBe(401);
    expect((await get('/v1/admin/search/insights', bearer(customerToken))).status).toBe(403);
  });

  it('answers 400 for days outside 1..90', async () => {
    const res = await get('/v1/admin/search/insights?days=91', bearer(adminToken));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('answers an admin the searches of the last days', async () => {
    expect((await get(`/v1/search?q=${rarestWord(CATALOG[3].title)}`)).status).toBe(200);
    // Counts reach the table at the next analytics flush (SEARCH_ANALYTICS_FLUSH_MS, 5 s).
    const { value: res } = await eventually(
      async () => {
        const answer = await get('/v1/admin/search/insights?days=1&limit=5', bearer(adminToken));
        return answer.status === 200 && answer.body.totals.searches > 0 ? answer : undefined;
      },
      10_000,
      'the search in the insights',
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.topQueries.length).toBeLessThanOrEqual(5);
  });
});
