import {
  startEmbeddedStore,
  call,
  type RunningStore,
  STORE_CLOSE_MS,
} from './support/embedded-store';
import { ADMIN } from './support/commerce.specs';

/**
 * The request examples of the seller product routes in /docs-json, sent as they are to a fresh
 * embedded store (issue 16): each answers its documented success status.
 */
describe('seller product examples in the OpenAPI document', () => {
  jest.setTimeout(60_000);
  let store: RunningStore;
  let doc: any;
  let admin: Record<string, string>;
  let seller: Record<string, string>;

  beforeAll(async () => {
    store = await startEmbeddedStore();
    doc = (await call(store.baseUrl, 'GET', '/docs-json')).body;
    const token = async (body: unknown) =>
      (await call(store.baseUrl, 'POST', '/v1/auth/login', { body })).body.accessToken as string;
    admin = { authorization: `Bearer ${await token(ADMIN)}` };
    const email = 'example-seller@example.com';
    const password = 'seller password 2026';
    const created = await call(store.baseUrl, 'POST', '/v1/admin/sellers', {
      body: { email, password, name: 'Northwind', region: 'us' },
      headers: admin,
    });
    expect(created.status).toBe(201);
    seller = { authorization: `Bearer ${await token({ email, password })}` };
  }, 120_000);
  afterAll(() => store?.close(), STORE_CLOSE_MS);

  /** The operation's only request example, from `examples` or the schema's `example`. */
  function exampleOf(path: string, method: string): unknown {
    const content = doc.paths[path][method].requestBody.content['application/json'];
    const named = Object.values(content.examples ?? {}) as { value: unknown }[];
    if (named.length) {
      expect(named).toHaveLength(1);
      return named[0].value;
    }
    return content.schema.example;
  }

  it('creates the example product as a seller (201)', async () => {
    const body = exampleOf('/v1/seller/products', 'post');
    const created = await call(store.baseUrl, 'POST', '/v1/seller/products', {
      body,
      headers: seller,
    });
    expect(created.status).toBe(201);
    expect(created.body.variants[0].sku).toBe('NW-TRAIL2-42');
  });

  it('updates the example demo product as an admin (200), its price lower afterwards', async () => {
    const operation = doc.paths['/v1/seller/products/{productId}'].put;
    const param = operation.parameters.find((p: { name: string }) => p.name === 'productId');
    const productId = (param.example ?? param.schema.example) as string;
    expect(productId).toEqual(expect.any(String));
    const before = await call(store.baseUrl, 'GET', `/v1/products/${productId}`);
    expect(before.status).toBe(200);
    const body = exampleOf('/v1/seller/products/{productId}', 'put') as {
      variants: { prices: { amount: number }[] }[];
    };
    const updated = await call(store.baseUrl, 'PUT', `/v1/seller/products/${productId}`, {
      body,
      headers: admin,
    });
    expect(updated.status).toBe(200);
    const after = await call(store.baseUrl, 'GET', `/v1/products/${productId}`);
    expect(after.body.variants[0].price.amount).toBe(body.variants[0].prices[0].amount);
    expect(after.body.variants[0].price.amount).toBeLessThan(before.body.variants[0].price.amount);
  });

  it('applies the example feed as a seller (200, every row created)', async () => {
    const rows = exampleOf('/v1/seller/products/feed', 'post') as unknown[];
    const fed = await call(store.baseUrl, 'POST', '/v1/seller/products/feed', {
      body: rows,
      headers: seller,
    });
    expect(fed.status).toBe(200);
    expect(fed.body.summary).toMatchObject({ rows: rows.length, created: rows.length });
  });
});
