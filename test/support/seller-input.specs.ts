import { randomBytes } from 'node:crypto';
import { BROWSE_SORTS } from '@mercato/contracts';
import { ADMIN, eventually, firstLeaf } from './commerce.specs';
import { call } from './embedded-store';
import type { StoreUnderTest } from './store-api.suite';

type Price = { region: string; amount: number; currency: string };
const US_ONLY: Price[] = [{ region: 'us', amount: 4_900, currency: 'USD' }];
const EVERY_REGION: Price[] = [
  { region: 'us', amount: 4_900, currency: 'USD' },
  { region: 'eu', amount: 4_500, currency: 'EUR' },
  { region: 'ap', amount: 7_400, currency: 'JPY' },
];

/**
 * Seller-friendly product input (issue 17, item 8), end to end on any way of running the
 * store: SKUs as ERPs write them (either case, `-`, `_`, `.`, `/`), unique regardless of case
 * and kept as sent; products priced in some regions only, listed and sold only there.
 */
export function sellerInputSpecs(target: () => StoreUnderTest): void {
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(target().baseUrl, method, path, { body, headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const unique = () => randomBytes(3).toString('hex');
  let seller: Record<string, string>;
  let admin: Record<string, string>;
  let leaf: string;

  const product = (brand: string, variants: { sku: string; prices: Price[] }[]) => ({
    title: 'Canvas Tote',
    brand,
    categoryId: leaf,
    variants,
  });
  const create = (body: unknown) => api('POST', '/v1/seller/products', body, seller);
  /** The ids browse lists for a brand in a region, in each of the four sorts. */
  async function listed(brand: string, region: string): Promise<Record<string, string[]>> {
    const bySort: Record<string, string[]> = {};
    for (const sort of BROWSE_SORTS) {
      const page = await api('GET', `/v1/products?brand=${brand}&sort=${sort}`, undefined, {
        'x-region': region,
      });
      expect(page.status).toBe(200);
      bySort[sort] = page.body.items.map((item: { productId: string }) => item.productId);
    }
    return bySort;
  }
  const inEverySort = (ids: string[]) =>
    Object.fromEntries(BROWSE_SORTS.map((sort) => [sort, ids]));

  beforeAll(async () => {
    admin = bearer((await api('POST', '/v1/auth/login', ADMIN)).body.accessToken);
    const email = `erp-${unique()}@example.com`;
    const password = 'seller password 2026';
    const created = await api(
      'POST',
      '/v1/admin/sellers',
      { email, password, name: 'ERP Export Ltd', region: 'us' },
      admin,
    );
    expect(created.status).toBe(201);
    seller = bearer((await api('POST', '/v1/auth/login', { email, password })).body.accessToken);
    leaf = firstLeaf((await api('GET', '/v1/categories')).body.items);
  });

  it('sells SKU ab-123_x.2 priced in us only: listed and shown in us, 404 PRODUCT_NOT_SOLD_IN_REGION in eu, AB-123_X.2 taken', async () => {
    const brand = `Tote${unique()}`;
    const created = await create(product(brand, [{ sku: 'ab-123_x.2', prices: US_ONLY }]));
    expect(created.status).toBe(201);
    expect(created.body.variants).toEqual([{ variantId: expect.any(String), sku: 'ab-123_x.2' }]);
    const productId = created.body.productId as string;

    const us = await api('GET', `/v1/products/${productId}`, undefined, { 'x-region': 'us' });
    expect(us.status).toBe(200);
    expect(us.body.variants).toEqual([
      expect.objectContaining({ sku: 'ab-123_x.2', price: { amount: 4_900, currency: 'USD' } }),
    ]);
    expect(await listed(brand, 'us')).toEqual(inEverySort([productId]));

    // Asked twice: the second may meet the us detail in the read model, never an eu one.
    for (let attempt = 0; attempt < 2; attempt++) {
      for (const path of [`/v1/products/${productId}`, `/v1/products/${productId}/availability`]) {
        const eu = await api('GET', path, undefined, { 'x-region': 'eu' });
        expect(eu.status).toBe(404);
        expect(eu.headers.get('content-type')).toContain('application/problem+json');
        expect(eu.body).toMatchObject({ status: 404, code: 'PRODUCT_NOT_SOLD_IN_REGION' });
      }
    }
    expect(await listed(brand, 'eu')).toEqual(inEverySort([]));
    expect(await listed(brand, 'ap')).toEqual(inEverySort([]));

    const duplicate = await create(
      product(`Other${unique()}`, [{ sku: 'AB-123_X.2', prices: EVERY_REGION }]),
    );
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toContain('application/problem+json');
    expect(duplicate.body.code).toBe('SKU_TAKEN');
    expect(duplicate.body.errors).toEqual([
      { field: 'variants.0.sku', message: expect.stringContaining('AB-123_X.2') },
    ]);
  });

  it('keeps a SKU with / and . as sent in inventory: restock with %2F in the path, stock feed, availability', async () => {
    const sku = `nw/${unique()}.b_1`;
    const created = await create(product(`Slash${unique()}`, [{ sku, prices: US_ONLY }]));
    expect(created.status).toBe(201);
    const path = `/v1/admin/inventory/${encodeURIComponent(sku)}/restock`;
    expect(path).toContain('%2F');
    const restocked = await eventually(
      async () => {
        const response = await api('POST', path, { warehouseId: 'us-east', quantity: 5 }, admin);
        return response.status === 404 ? undefined : response;
      },
      10_000,
      `the stock item of ${sku}`,
    );
    expect(restocked.value.status).toBe(200);
    expect(restocked.value.body.stock.sku).toBe(sku);

    const fed = await api(
      'POST',
      '/v1/seller/inventory/feed',
      [{ sku, warehouseId: 'eu-west', onHand: 7 }],
      seller,
    );
    expect(fed.body.results).toEqual([expect.objectContaining({ sku, status: 'applied' })]);
    const stock = await api('GET', `/v1/products/${created.body.productId}/availability`);
    expect(stock.body.variants).toEqual([expect.objectContaining({ sku, available: 12 })]);

    // Stock is kept per SKU as sent: only uniqueness ignores case.
    const upper = `/v1/admin/inventory/${encodeURIComponent(sku.toUpperCase())}/restock`;
    const other = await api('POST', upper, { warehouseId: 'us-east', quantity: 1 }, admin);
    expect(other.status).toBe(404);
  });

  it.each([
    ['a space', (sku: string) => `${sku} 2`, 'variants.1.sku'],
    ['a control character', (sku: string) => `${sku}\u0007`, 'variants.1.sku'],
    ['65 characters', (sku: string) => sku.padEnd(65, 'x'), 'variants.1.sku'],
  ])(
    'refuses a SKU with %s with a 400 naming the field, and stores nothing',
    async (_what, badSku, field) => {
      const sku = `ok-${unique()}`;
      const refused = await create(
        product(`Bad${unique()}`, [
          { sku, prices: US_ONLY },
          { sku: badSku(sku), prices: US_ONLY },
        ]),
      );
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      // The good SKU of the refused body is still free: nothing was stored.
      expect((await create(product(`Good${unique()}`, [{ sku, prices: US_ONLY }]))).status).toBe(
        201,
      );
    },
  );

  it('refuses a price in another currency than its region’s with a 400 naming it, and stores nothing', async () => {
    const sku = `cur-${unique()}`;
    const wrong = [{ region: 'eu', amount: 4_500, currency: 'USD' }];
    const refused = await create(product(`Cur${unique()}`, [{ sku, prices: wrong }]));
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'variants.0.prices.0.currency', message: 'prices in region eu are in EUR, not USD' },
    ]);
    expect((await create(product(`Cur${unique()}`, [{ sku, prices: US_ONLY }]))).status).toBe(201);
  });
}
