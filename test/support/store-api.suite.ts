import { type MessageBus, UNCORRELATED_WARNING } from '@mercato/messaging';
import { checkoutSpecs } from './checkout.specs';
import { commerceSpecs } from './commerce.specs';
import { orderLifecycleSpecs } from './order-lifecycle.specs';
import { interactionSpecs } from './interactions.specs';
import { productLimitsSpecs } from './product-limits.specs';
import { searchSpecs } from './search.specs';
import { sellerInputSpecs } from './seller-input.specs';
import { call } from './embedded-store';
import { ADMIN } from './test-admin';

export interface StoreUnderTest {
  baseUrl: string;
  /** A bus connected to the store's services (for commands that have no public route yet). */
  bus: MessageBus;
  /**
   * The warning lines its processes logged so far (the stack reads its apps' logs): problems no
   * HTTP answer shows. Given, the suite checks them last.
   */
  processWarnings?(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The public API end to end, for any way of running the store: the embedded store of
 * `npm start` (test/store.e2e-spec.ts) and the seven-process stack on real engines
 * (test/stack.int-spec.ts) run the same specification. The store under test is seeded with
 * 300 demo products and the admin account of `test-admin.ts` (MERCATO_ADMIN_PASSWORD).
 */
/** Local-layer hits of the two-level caches, read off the Prometheus text. */
function localHits(metrics: string): number {
  const match = /mercato_cache_requests_total\{layer="local",outcome="hit"\} (\d+)/.exec(metrics);
  return match ? Number(match[1]) : 0;
}

export function storeApiSuite(
  target: string,
  start: () => Promise<StoreUnderTest>,
  options: { checksProcessWarnings?: boolean } = {},
): void {
  describe(`Store API on the ${target}`, () => {
    // Generous per-test bound: on the stack every call crosses Kafka, and CI machines are busy.
    jest.setTimeout(30_000);
    let store: StoreUnderTest;
    const get = (path: string, headers?: Record<string, string>) =>
      call(store.baseUrl, 'GET', path, { headers });
    const post = (path: string, body: unknown, headers?: Record<string, string>) =>
      call(store.baseUrl, 'POST', path, { body, headers });

    beforeAll(async () => {
      store = await start();
    }, 300_000);
    afterAll(() => store?.close(), 60_000);

    describe('operations', () => {
      it('is live and ready, naming each dependency it checked', async () => {
        expect((await get('/health/live')).status).toBe(200);
        const ready = await get('/health/ready');
        expect(ready.status).toBe(200);
        expect(Object.keys(ready.body.details).sort()).toEqual(['cache', 'dynamodb', 'messaging']);
      });

      it('serves Prometheus metrics with HTTP latency by route and bus counters', async () => {
        await get('/v1/categories');
        const metrics = await get('/metrics');
        expect(metrics.status).toBe(200);
        expect(metrics.body).toContain('mercato_http_request_duration_seconds_bucket');
        expect(metrics.body).toMatch(/route="\/v1\/categories"/);
        expect(metrics.body).toContain('mercato_bus_request_seconds');
      });

      it('echoes a given correlation id and invents one otherwise', async () => {
        const given = await get('/v1/categories', { 'x-correlation-id': 'test-corr-1' });
        expect(given.headers.get('x-correlation-id')).toBe('test-corr-1');
        const invented = await get('/v1/categories');
        expect(invented.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('answers an unknown route with a 404 problem', async () => {
        const response = await get('/v1/nope');
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.body).toMatchObject({
          status: 404,
          title: 'Not Found',
          instance: '/v1/nope',
        });
      });
    });

    describe('API documentation', () => {
      it('serves Swagger UI at /docs', async () => {
        const response = await get('/docs');
        expect(response.status).toBe(200);
        expect(String(response.body)).toContain('swagger-ui');
      });

      it('describes every implemented route in /docs-json with schemas', async () => {
        const { body: doc } = await get('/docs-json');
        expect(Object.keys(doc.paths).sort()).toEqual(
          [
            '/.well-known/jwks.json',
            '/v1/auth/login',
            '/v1/auth/refresh',
            '/v1/auth/register',
            '/v1/categories',
            '/v1/me',
            '/v1/products',
            '/v1/products/{productId}',
            '/v1/products/{productId}/availability',
            '/v1/admin/api-keys',
            '/v1/admin/api-keys/{apiKeyId}',
            '/v1/admin/inventory/{sku}/restock',
            '/v1/admin/inventory/{sku}/transfer',
            '/v1/admin/promotions',
            '/v1/admin/promotions/{promotionId}',
            '/v1/admin/promotions/{promotionId}/end',
            '/v1/admin/sellers',
            '/v1/seller/inventory/feed',
            '/v1/seller/products',
            '/v1/seller/products/{productId}',
            '/v1/seller/products/feed',
            '/v1/cart',
            '/v1/cart/items',
            '/v1/cart/items/{sku}',
            '/v1/cart/coupons',
            '/v1/cart/coupons/{code}',
            '/v1/checkout',
            '/v1/orders',
            '/v1/orders/{orderId}',
            '/v1/orders/{orderId}/events',
            '/v1/orders/{orderId}/cancel',
            '/v1/orders/{orderId}/returns',
            '/v1/admin/orders',
            '/v1/admin/orders/{orderId}',
            '/v1/admin/orders/{orderId}/approve',
            '/v1/admin/orders/{orderId}/reject',
            '/v1/admin/orders/{orderId}/cancel',
            '/v1/fulfillment/{orderId}/events',
            '/v1/fulfillment/{orderId}/returns/{returnId}/receive',
            '/v1/seller/orders',
            '/v1/search',
            '/v1/search/suggest',
            '/v1/search/feedback',
            '/v1/events',
            '/v1/admin/search/insights',
            '/v1/admin/search/reindex',
          ].sort(),
        );
        const detail = doc.paths['/v1/products/{productId}'].get;
        expect(detail.responses['200'].content['application/json'].schema).toBeDefined();
        expect(detail.responses['404']).toBeDefined();
        expect(JSON.stringify(doc.components.schemas)).toContain('example');
      });
    });

    describe('catalog', () => {
      it('lists a category tree at least three levels deep with product counts', async () => {
        const { status, body } = await get('/v1/categories');
        expect(status).toBe(200);
        const depth = (nodes: any[]): number =>
          nodes.length ? 1 + Math.max(...nodes.map((n) => depth(n.children))) : 0;
        expect(depth(body.items)).toBeGreaterThanOrEqual(3);
        const total = body.items.reduce((sum: number, node: any) => sum + node.productCount, 0);
        expect(total).toBe(300);
      });

      it('browses a department (descendants included) sorted by price with cursor pagination', async () => {
        const { body: tree } = await get('/v1/categories');
        const department = tree.items.find((node: any) => node.productCount >= 10);
        const seen: string[] = [];
        const prices: number[] = [];
        let cursor: string | null = null;
        do {
          const query = `category=${department.categoryId}&sort=price_asc&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page = await get(`/v1/products?${query}`);
          expect(page.status).toBe(200);
          expect(page.body.items.length).toBeLessThanOrEqual(7);
          for (const item of page.body.items) {
            seen.push(item.productId);
            prices.push(item.price.amount);
            expect(item.price.currency).toBe('USD');
          }
          cursor = page.body.nextCursor;
        } while (cursor);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBe(department.productCount);
        expect(prices).toEqual([...prices].sort((a, b) => a - b));
      });

      it('shows product detail with variants, EUR prices for X-Region: eu and availability', async () => {
        const { body: page } = await get('/v1/products?limit=1');
        const productId = page.items[0].productId;
        const us = await get(`/v1/products/${productId}`);
        const eu = await get(`/v1/products/${productId}`, { 'x-region': 'eu' });
        expect(us.status).toBe(200);
        expect(eu.status).toBe(200);
        expect(eu.body).toMatchObject({ productId, region: 'eu', title: us.body.title });
        expect(eu.body.variants.length).toBeGreaterThanOrEqual(1);
        for (const variant of eu.body.variants) {
          expect(variant.price.currency).toBe('EUR');
          expect(Number.isInteger(variant.available)).toBe(true);
        }
        expect(us.body.variants[0].price.currency).toBe('USD');
        const ap = await get(`/v1/products/${productId}`, { 'x-region': 'ap' });
        expect(ap.body.variants[0].price.currency).toBe('JPY');
        const stock = await get(`/v1/products/${productId}/availability`, { 'x-region': 'eu' });
        expect(stock.status).toBe(200);
        expect(stock.body.variants[0].warehouses[0].warehouseId).toBe('eu-west');
      });

      it('serves a repeated product detail from the read model, byte for byte', async () => {
        const { body: page } = await get('/v1/products?limit=2&sort=newest');
        const productId = page.items[1].productId;
        const hitsBefore = localHits((await get('/metrics')).body);
        const first = await call(store.baseUrl, 'GET', `/v1/products/${productId}`, {
          headers: { 'x-region': 'ap' },
        });
        const second = await call(store.baseUrl, 'GET', `/v1/products/${productId}`, {
          headers: { 'x-region': 'ap' },
        });
        expect(second.status).toBe(200);
        expect(second.headers.get('content-type')).toContain('application/json');
        expect(second.headers.get('x-correlation-id')).toBeTruthy();
        expect(second.body).toEqual(first.body);
        expect(localHits((await get('/metrics')).body)).toBeGreaterThan(hitsBefore);
      });

      it('rejects an unknown region, an unknown query field and a bad price range with 400 problems', async () => {
        const region = await get('/v1/products', { 'x-region': 'mars' });
        expect(region.status).toBe(400);
        const unknown = await get('/v1/products?colour=red');
        expect(unknown.status).toBe(400);
        expect(unknown.body.errors).toEqual([{ field: 'colour', message: 'Unknown field' }]);
        const range = await get('/v1/products?minPrice=500&maxPrice=100');
        expect(range.status).toBe(400);
        expect(range.body.errors[0].field).toBe('minPrice');
        const limit = await get('/v1/products?limit=101');
        expect(limit.status).toBe(400);
      });

      it('answers an unknown product with a 404 problem', async () => {
        const response = await get('/v1/products/p-does-not-exist');
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.body.code).toBe('PRODUCT_NOT_FOUND');
      });
    });

    describe('identity', () => {
      const email = 'ada@example.com';
      const password = 'correct horse battery';

      it('registers, logs in and shows the profile', async () => {
        const registered = await post('/v1/auth/register', {
          email,
          password,
          name: 'Ada Lovelace',
          region: 'eu',
        });
        expect(registered.status).toBe(201);
        expect(registered.body.customerId).toEqual(expect.any(String));

        const login = await post('/v1/auth/login', { email, password });
        expect(login.status).toBe(200);
        expect(login.body).toMatchObject({
          accessToken: expect.any(String),
          refreshToken: expect.any(String),
          expiresIn: expect.any(Number),
        });

        const me = await get('/v1/me', { authorization: `Bearer ${login.body.accessToken}` });
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({
          customerId: registered.body.customerId,
          email,
          name: 'Ada Lovelace',
          region: 'eu',
        });
      });

      it('refuses a wrong password with 401 and a second account for the same email with 409', async () => {
        const wrong = await post('/v1/auth/login', { email, password: 'not the password' });
        expect(wrong.status).toBe(401);
        expect(wrong.headers.get('content-type')).toContain('application/problem+json');
        const again = await post('/v1/auth/register', {
          email,
          password,
          name: 'Ada',
          region: 'eu',
        });
        expect(again.status).toBe(409);
      });

      it('rejects a malformed body with a 400 problem naming each field, and writes nothing', async () => {
        const response = await post('/v1/auth/register', {
          email: 'not-an-email',
          password: 'short',
          region: 'mars',
          extra: 1,
        });
        expect(response.status).toBe(400);
        const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
        expect(fields).toEqual(['email', 'extra', 'name', 'password', 'region']);
        const login = await post('/v1/auth/login', { email: 'not-an-email', password: 'short' });
        expect(login.status).toBe(400);
      });

      it('rejects invalid JSON with a 400 problem', async () => {
        const response = await call(store.baseUrl, 'POST', '/v1/auth/login', {
          rawBody: '{"email": ',
        });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      });

      it('requires a valid bearer token for /v1/me', async () => {
        expect((await get('/v1/me')).status).toBe(401);
        expect((await get('/v1/me', { authorization: 'Bearer nonsense' })).status).toBe(401);
      });

      it('publishes the signing keys that verify its tokens', async () => {
        const { status, body } = await get('/.well-known/jwks.json');
        expect(status).toBe(200);
        expect(body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', kid: expect.any(String) });
      });

      it('has created the admin account with the password from MERCATO_ADMIN_PASSWORD', async () => {
        const login = await post('/v1/auth/login', ADMIN);
        expect(login.status).toBe(200);
        const me = await get('/v1/me', { authorization: `Bearer ${login.body.accessToken}` });
        expect(me.body.roles).toContain('admin');
      });
    });

    describe('commerce (issue 4)', () => commerceSpecs(() => store));

    describe('product limits and free products (issue 16)', () => productLimitsSpecs(() => store));

    describe('seller-friendly SKUs and regional prices (issue 17)', () =>
      sellerInputSpecs(() => store));

    describe('cart, checkout and orders (issue 18)', () => checkoutSpecs(() => store));

    describe('search (issue 19)', () => searchSpecs(() => store));

    describe('order lifecycle (issue 20)', () => orderLifecycleSpecs(() => store));
    describe('interaction stream (issue 21)', () => interactionSpecs(() => store));

    // Declared last, so it runs after every call above. Only where processes are separate:
    // the embedded store carries correlation ids in scopes and never warns.
    if (options.checksProcessWarnings) {
      describe('process diagnostics', () => {
        it('sent every bus message of the calls above with its request’s correlation id', async () => {
          const warnings = await store.processWarnings!();
          expect(warnings.filter((line) => line.includes(UNCORRELATED_WARNING))).toEqual([]);
        });
      });
    }
  });
}
