import { randomBytes } from 'node:crypto';
import { ReserveStock, type CategoryNode } from '@mercato/contracts';
import { call } from './embedded-store';
import type { StoreUnderTest } from './store-api.suite';

import { ADMIN } from './test-admin';

export { ADMIN };

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const prices = (usd: number, eur: number, jpy: number) => [
  { region: 'us', amount: usd, currency: 'USD' },
  { region: 'eu', amount: eur, currency: 'EUR' },
  { region: 'ap', amount: jpy, currency: 'JPY' },
];

/** A product body with one variant per SKU, all in one leaf category. */
export const productBody = (categoryId: string, skus: string[], title = 'Trailhead Boot') => ({
  title,
  description: 'Waterproof leather boot.',
  brand: 'Northwind',
  categoryId,
  specs: { material: 'leather' },
  images: ['https://images.example/boot.jpg'],
  variants: skus.map((sku, i) => ({
    sku,
    attributes: { size: String(40 + i) },
    prices: prices(12_900, 11_900, 19_800),
  })),
});

/** The first leaf of the category tree. */
export function firstLeaf(nodes: CategoryNode[]): string {
  const node = nodes[0];
  return node.children.length ? firstLeaf(node.children) : node.categoryId;
}

/**
 * Catalog writes, pricing, promotions and inventory (issue 4), end to end, on any way of
 * running the store: seller products through the gateway, stock commands and feeds, and
 * reservations over the store's own bus (checkout, which reserves, comes in issue 5).
 */
export function commerceSpecs(target: () => StoreUnderTest): void {
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(target().baseUrl, method, path, { body, headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const unique = () => randomBytes(3).toString('hex').toUpperCase();

  let adminToken: string;
  let sellerToken: string;
  let sellerId: string;
  let leafCategory: string;

  async function login(email: string, password: string): Promise<string> {
    const response = await api('POST', '/v1/auth/login', { email, password });
    expect(response.status).toBe(200);
    return response.body.accessToken as string;
  }

  async function createSeller(): Promise<{ sellerId: string; token: string }> {
    const email = `seller-${unique().toLowerCase()}@example.com`;
    const password = 'seller password 2026';
    const created = await api(
      'POST',
      '/v1/admin/sellers',
      { email, password, name: 'Northwind Outfitters', region: 'us' },
      bearer(adminToken),
    );
    expect(created.status).toBe(201);
    return { sellerId: created.body.sellerId, token: await login(email, password) };
  }

  /** Creates a product of the seller and waits until inventory knows its SKUs. */
  async function sellerProduct(skus: string[]): Promise<string> {
    const created = await api(
      'POST',
      '/v1/seller/products',
      productBody(leafCategory, skus),
      bearer(sellerToken),
    );
    expect(created.status).toBe(201);
    return created.body.productId as string;
  }

  /** Restocks (retrying while inventory has not yet seen the product's SKUs). */
  async function restock(sku: string, warehouseId: string, quantity: number): Promise<void> {
    const key = `restock-${sku}-${warehouseId}-${unique()}`;
    await eventually(
      async () => {
        const response = await api(
          'POST',
          `/v1/admin/inventory/${sku}/restock`,
          { warehouseId, quantity },
          { ...bearer(adminToken), 'idempotency-key': key },
        );
        if (response.status === 404) return undefined;
        expect(response.status).toBe(200);
        return response;
      },
      10_000,
      `stock item of ${sku}`,
    );
  }

  const availability = async (productId: string, region = 'us') => {
    const response = await api('GET', `/v1/products/${productId}/availability`, undefined, {
      'x-region': region,
    });
    expect(response.status).toBe(200);
    return response.body.variants as {
      sku: string;
      available: number;
      warehouses: { warehouseId: string; available: number }[];
    }[];
  };

  beforeAll(async () => {
    adminToken = await login(ADMIN.email, ADMIN.password);
    ({ sellerId, token: sellerToken } = await createSeller());
    leafCategory = firstLeaf((await api('GET', '/v1/categories')).body.items);
  });

  describe('seller products', () => {
    it('creates a product that shows in detail, priced per region, and in its category', async () => {
      const sku = `NW-${unique()}-42`;
      const productId = await sellerProduct([sku]);
      const eu = await api('GET', `/v1/products/${productId}`, undefined, { 'x-region': 'eu' });
      expect(eu.status).toBe(200);
      expect(eu.body).toMatchObject({
        productId,
        title: 'Trailhead Boot',
        brand: 'Northwind',
        variants: [{ sku, price: { amount: 11_900, currency: 'EUR' }, available: 0 }],
      });
      const listed = await api(
        'GET',
        `/v1/products?category=${leafCategory}&brand=Northwind&sort=newest&limit=100`,
      );
      expect(listed.body.items.map((p: { productId: string }) => p.productId)).toContain(productId);
    });

    it('shows a seller’s update in product detail within 2 seconds', async () => {
      const sku = `NW-${unique()}-43`;
      const productId = await sellerProduct([sku]);
      const path = `/v1/products/${productId}`;
      expect((await api('GET', path)).body.title).toBe('Trailhead Boot'); // now cached
      expect((await api('GET', path)).body.title).toBe('Trailhead Boot');

      const changed = { ...productBody(leafCategory, [sku], 'Trailhead Boot II') };
      changed.variants[0].prices = prices(9_900, 8_900, 14_800);
      const updated = await api(
        'PUT',
        path.replace('/v1/products', '/v1/seller/products'),
        changed,
        {
          ...bearer(sellerToken),
          'if-match': '1',
        },
      );
      expect(updated.status).toBe(200);
      expect(updated.body.revision).toBe(2);

      const seen = await eventually(
        async () => {
          const { body } = await api('GET', path);
          return body.title === 'Trailhead Boot II' && body.variants[0].price.amount === 9_900
            ? body
            : undefined;
        },
        2_000,
        'the update in product detail',
      );
      expect(seen.ms).toBeLessThan(2_000);
    });

    it('refuses a price without currency or in another region’s currency with a 400 naming the field, and creates nothing', async () => {
      const sku = `NW-${unique()}-44`;
      const missing = productBody(leafCategory, [sku]);
      delete (missing.variants[0].prices[0] as { currency?: string }).currency;
      const wrong = productBody(leafCategory, [sku]);
      wrong.variants[0].prices[1].currency = 'USD';
      for (const [body, field] of [
        [missing, 'variants.0.prices.0.currency'],
        [wrong, 'variants.0.prices.1.currency'],
      ] as const) {
        const response = await api('POST', '/v1/seller/products', body, bearer(sellerToken));
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      // The SKU is still free: nothing was stored.
      expect(
        (
          await api(
            'POST',
            '/v1/seller/products',
            productBody(leafCategory, [sku]),
            bearer(sellerToken),
          )
        ).status,
      ).toBe(201);
    });

    it('answers 404 when a seller updates another seller’s product, and 409 on a stale If-Match', async () => {
      const sku = `NW-${unique()}-45`;
      const productId = await sellerProduct([sku]);
      const other = await createSeller();
      const path = `/v1/seller/products/${productId}`;
      const body = productBody(leafCategory, [sku], 'Not yours');
      expect((await api('PUT', path, body, bearer(other.token))).status).toBe(404);
      expect((await api('PUT', path, body, bearer(sellerToken))).status).toBe(200);
      const stale = await api('PUT', path, body, { ...bearer(sellerToken), 'if-match': '1' });
      expect(stale.status).toBe(409);
      const customer = await api(
        'PUT',
        path,
        body,
        bearer(await login(ADMIN.email, ADMIN.password)),
      );
      expect(customer.status).toBe(200); // an admin may update any product
    });
  });

  describe('regional pricing', () => {
    it('prices for the signed-in customer’s region when X-Region is absent', async () => {
      const sku = `NW-${unique()}-RG`;
      const productId = await sellerProduct([sku]);
      const email = `ap-${unique().toLowerCase()}@example.com`;
      const registered = await api('POST', '/v1/auth/register', {
        email,
        password: 'customer password 1',
        name: 'Kenji',
        region: 'ap',
      });
      expect(registered.status).toBe(201);
      const token = await login(email, 'customer password 1');
      const path = `/v1/products/${productId}`;
      const mine = await api('GET', path, undefined, bearer(token));
      expect(mine.body.variants[0].price).toEqual({ amount: 19_800, currency: 'JPY' });
      const asked = await api('GET', path, undefined, { ...bearer(token), 'x-region': 'eu' });
      expect(asked.body.variants[0].price).toEqual({ amount: 11_900, currency: 'EUR' });
      expect((await api('GET', path, undefined, bearer('not-a-token'))).status).toBe(401);
    });
  });

  describe('inventory', () => {
    /** 50 one-unit reservations at once, over the bus; answers how many were granted. */
    async function reserveConcurrently(sku: string, count: number): Promise<number> {
      const run = unique();
      const answers = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          target().bus.request(
            ReserveStock,
            { reservationId: `r-${run}-${i}`, sku, quantity: 1, region: 'us' },
            { key: sku, timeoutMs: 30_000 },
          ),
        ),
      );
      return answers.filter((a) => a.status === 'reserved').length;
    }

    it('never oversells: 50 concurrent one-unit reservations against 10 available, exactly 10 succeed', async () => {
      const sku = `NW-${unique()}-OS`;
      const productId = await sellerProduct([sku]);
      await restock(sku, 'us-east', 10);
      expect(await reserveConcurrently(sku, 50)).toBe(10);
      const [stock] = await availability(productId);
      expect(stock.available).toBe(0);
      expect(stock.warehouses.every((w) => w.available === 0)).toBe(true);
    });

    it('never oversells while a transfer between the SKU’s warehouses runs at the same time', async () => {
      const sku = `NW-${unique()}-OT`;
      const productId = await sellerProduct([sku]);
      await restock(sku, 'us-east', 6);
      await restock(sku, 'eu-west', 4);
      const transfer = api(
        'POST',
        `/v1/admin/inventory/${sku}/transfer`,
        { fromWarehouseId: 'eu-west', toWarehouseId: 'us-east', quantity: 2 },
        bearer(adminToken),
      );
      const [granted, moved] = await Promise.all([reserveConcurrently(sku, 50), transfer]);
      expect(granted).toBe(10);
      // The transfer either moved 2 units before they were reserved, or found them taken.
      expect([200, 409]).toContain(moved.status);
      const [stock] = await availability(productId);
      expect(stock.available).toBe(0);
    });

    it('applies a restock once per Idempotency-Key and refuses a bad quantity or warehouse, changing nothing', async () => {
      const sku = `NW-${unique()}-RS`;
      const productId = await sellerProduct([sku]);
      await restock(sku, 'ap-south', 5);
      const again = { ...bearer(adminToken), 'idempotency-key': `once-${sku}` };
      const path = `/v1/admin/inventory/${sku}/restock`;
      expect(
        (await api('POST', path, { warehouseId: 'ap-south', quantity: 3 }, again)).status,
      ).toBe(200);
      expect(
        (await api('POST', path, { warehouseId: 'ap-south', quantity: 3 }, again)).status,
      ).toBe(200);
      for (const bad of [
        { warehouseId: 'ap-south', quantity: -1 },
        { warehouseId: 'ap-south', quantity: 1.5 },
        { warehouseId: 'moon-base', quantity: 1 },
      ]) {
        const refused = await api('POST', path, bad, bearer(adminToken));
        expect(refused.status).toBe(400);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
      }
      const [stock] = await availability(productId, 'ap');
      expect(stock.warehouses[0]).toEqual({ warehouseId: 'ap-south', available: 8 });
    });

    it('lets a seller’s API key feed stock for its own SKUs only, row by row', async () => {
      const sku = `NW-${unique()}-FD`;
      const productId = await sellerProduct([sku]);
      await restock(sku, 'us-east', 1);
      const key = await api(
        'POST',
        '/v1/admin/api-keys',
        { name: 'warehouse sync', sellerId, scopes: ['inventory:feed'] },
        bearer(adminToken),
      );
      expect(key.status).toBe(201);
      const { body: demo } = await api('GET', '/v1/products?limit=1');
      const { body: demoDetail } = await api('GET', `/v1/products/${demo.items[0].productId}`);
      const feed = [
        { sku, warehouseId: 'us-east', onHand: 25 },
        { sku, warehouseId: 'eu-west', onHand: -3 },
        { sku: demoDetail.variants[0].sku, warehouseId: 'us-east', onHand: 1 },
        { sku, warehouseId: 'mars', onHand: 1 },
      ];
      const headers = { 'x-api-key': key.body.apiKey };
      const response = await api('POST', '/v1/seller/inventory/feed', feed, headers);
      expect(response.status).toBe(200);
      expect(response.body.results.map((r: { status: string }) => r.status)).toEqual([
        'applied',
        'rejected',
        'rejected',
        'rejected',
      ]);
      expect(response.body.results.slice(1).every((r: { reason?: string }) => r.reason)).toBe(true);
      const again = await api('POST', '/v1/seller/inventory/feed', feed, headers);
      expect(again.body.summary).toMatchObject({ applied: 0, unchanged: 1, rejected: 3 });
      const [stock] = await availability(productId);
      expect(stock.warehouses[0]).toEqual({ warehouseId: 'us-east', available: 25 });
      const noKey = await api('POST', '/v1/seller/inventory/feed', feed);
      expect(noKey.status).toBe(401);
    });
  });

  describe('promotions', () => {
    it('shows an automatic promotion in product detail prices within 2 seconds', async () => {
      const sku = `NW-${unique()}-PR`;
      const productId = await sellerProduct([sku]);
      const path = `/v1/products/${productId}`;
      expect((await api('GET', path)).body.variants[0].price.amount).toBe(12_900);
      const created = await api(
        'POST',
        '/v1/admin/promotions',
        {
          name: `15% off ${sku}`,
          kind: 'percentage',
          percentOff: 15,
          target: { type: 'skus', skus: [sku] },
          stacking: 'exclusive',
        },
        bearer(adminToken),
      );
      expect(created.status).toBe(201);
      const seen = await eventually(
        async () => {
          const { body } = await api('GET', path, undefined, { 'x-region': 'ap' });
          return body.variants[0].price.amount !== 19_800 ? body : undefined;
        },
        2_000,
        'the promotion in product detail',
      );
      // ¥19,800 less 15% is ¥16,830: JPY has no minor unit.
      expect(seen.value.variants[0].price).toEqual({ amount: 16_830, currency: 'JPY' });
      const listed = await api('GET', '/v1/admin/promotions', undefined, bearer(adminToken));
      expect(listed.body.items.map((p: { promotionId: string }) => p.promotionId)).toContain(
        created.body.promotionId,
      );
    });

    it('refuses a second exclusive promotion over the same target and dates with a 422, storing nothing', async () => {
      const sku = `NW-${unique()}-PX`;
      await sellerProduct([sku]);
      const promotion = {
        name: 'exclusive',
        kind: 'percentage',
        percentOff: 10,
        target: { type: 'skus', skus: [sku] },
        stacking: 'exclusive',
      };
      expect(
        (await api('POST', '/v1/admin/promotions', promotion, bearer(adminToken))).status,
      ).toBe(201);
      const clash = await api('POST', '/v1/admin/promotions', promotion, bearer(adminToken));
      expect(clash.status).toBe(422);
      expect(clash.body.code).toBe('OVERLAPPING_EXCLUSIVE_PROMOTIONS');
      const noCurrency = await api(
        'POST',
        '/v1/admin/promotions',
        { ...promotion, kind: 'fixed', percentOff: undefined, amountOff: { XYZ: 100 } },
        bearer(adminToken),
      );
      expect(noCurrency.status).toBe(400);
    });

    it('is for admins only', async () => {
      const response = await api('GET', '/v1/admin/promotions', undefined, bearer(sellerToken));
      expect(response.status).toBe(403);
    });

    describe('lifecycle: read, change, end', () => {
      const promotions = '/v1/admin/promotions';
      /** `percent`% off `amount` minor units, half up, as the pricing engine rounds. */
      const less = (amount: number, percent: number) =>
        amount - Math.floor((amount * percent + 50) / 100);

      /** A demo product outside the category the other promotion tests' products live in. */
      async function demoProduct(): Promise<{ path: string; categoryId: string; base: number }> {
        const { body: page } = await api('GET', '/v1/products?sort=rating&limit=20');
        for (const item of page.items as { productId: string }[]) {
          const path = `/v1/products/${item.productId}`;
          const { body } = await api('GET', path);
          if (body.category.categoryId === leafCategory) continue;
          expect(body.variants[0].price).toEqual(body.variants[0].listPrice);
          return {
            path,
            categoryId: body.category.categoryId,
            base: body.variants[0].listPrice.amount,
          };
        }
        throw new Error('No demo product outside the seller test category');
      }

      /** Polls product detail until its first variant costs `amount`; answers how long it took. */
      async function detailPrice(path: string, amount: number, what: string): Promise<number> {
        const seen = await eventually(
          async () => {
            const { body } = await api('GET', path);
            return body.variants[0].price.amount === amount ? body : undefined;
          },
          2_000,
          what,
        );
        return seen.ms;
      }

      it('changes a category promotion and ends it, product detail following within 2 seconds', async () => {
        const { path, categoryId, base } = await demoProduct();
        const created = await api(
          'POST',
          promotions,
          {
            name: `10% off ${categoryId}`,
            kind: 'percentage',
            percentOff: 10,
            target: { type: 'categories', categoryIds: [categoryId] },
            stacking: 'stackable',
          },
          bearer(adminToken),
        );
        expect(created.status).toBe(201);
        const id = created.body.promotionId as string;
        expect(created.body.version).toBe(1);
        expect(await detailPrice(path, less(base, 10), 'the promotion in detail')).toBeLessThan(
          2_000,
        );

        const read = await api('GET', `${promotions}/${id}`, undefined, bearer(adminToken));
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({
          promotionId: id,
          status: 'active',
          usage: null,
          percentOff: 10,
          version: 1,
          updatedBy: null,
        });

        const patched = await api(
          'PATCH',
          `${promotions}/${id}`,
          { percentOff: 25 },
          {
            ...bearer(adminToken),
            'if-match': '"1"',
          },
        );
        expect(patched.status).toBe(200);
        expect(patched.body).toMatchObject({
          promotionId: id,
          percentOff: 25,
          status: 'active',
          version: 2,
          createdBy: created.body.createdBy,
          updatedBy: created.body.createdBy,
          updatedAt: expect.any(String),
        });
        expect(await detailPrice(path, less(base, 25), 'the change in detail')).toBeLessThan(2_000);
        const { body: detail } = await api('GET', path);
        expect(detail.variants[0].listPrice.amount).toBe(base);
        expect(detail.variants[0].promotions).toEqual([
          { promotionId: id, name: `10% off ${categoryId}` },
        ]);

        const ended = await api('POST', `${promotions}/${id}/end`, undefined, bearer(adminToken));
        expect(ended.status).toBe(200);
        expect(ended.body).toMatchObject({ promotionId: id, status: 'ended', version: 3 });
        expect(Date.parse(ended.body.endsAt)).toBeLessThanOrEqual(Date.now());
        expect(await detailPrice(path, base, 'the end in detail')).toBeLessThan(2_000);
        expect((await api('GET', path)).body.variants[0].promotions).toEqual([]);

        const afterEnd = await api('GET', `${promotions}/${id}`, undefined, bearer(adminToken));
        expect(afterEnd.body).toEqual(ended.body);
        const endedAgain = await api(
          'POST',
          `${promotions}/${id}/end`,
          undefined,
          bearer(adminToken),
        );
        expect(endedAgain.status).toBe(200);
        expect(endedAgain.body).toEqual(ended.body);
        const revived = await api(
          'PATCH',
          `${promotions}/${id}`,
          { endsAt: null },
          bearer(adminToken),
        );
        expect(revived.status).toBe(409);
        expect(revived.body.code).toBe('PROMOTION_ENDED');
      });

      it('refuses bad changes with 400 naming the field, a stale If-Match with 409, and changes nothing', async () => {
        const sku = `NW-${unique()}-PL`;
        const created = await api(
          'POST',
          promotions,
          {
            name: `5% off ${sku}`,
            kind: 'percentage',
            percentOff: 5,
            target: { type: 'skus', skus: [sku] },
            stacking: 'stackable',
          },
          bearer(adminToken),
        );
        expect(created.status).toBe(201);
        const path = `${promotions}/${created.body.promotionId}`;
        const cases: [unknown, string[]][] = [
          [{ percentOff: 0, name: '' }, ['name', 'percentOff']],
          [{ kind: 'fixed', amountOff: { USD: 100 } }, ['kind']],
          [{ coupon: { code: 'NEWCODE' } }, ['coupon.code']],
          [{ startsAt: '2031-01-02T00:00:00Z', endsAt: '2031-01-01T00:00:00Z' }, ['endsAt']],
          [{ amountOff: { USD: 100 } }, ['amountOff']],
          [{ endsAt: '2020-01-01T00:00:00Z' }, ['endsAt']],
          [
            { target: { type: 'categories', categoryIds: ['no-such-category'] } },
            ['target.categoryIds.0'],
          ],
          [[], ['(body)']],
        ];
        for (const [body, fields] of cases) {
          const refused = await api('PATCH', path, body, bearer(adminToken));
          expect(refused.status).toBe(400);
          expect(refused.headers.get('content-type')).toContain('application/problem+json');
          expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
        }
        const badIfMatch = await api(
          'PATCH',
          path,
          { name: 'x' },
          {
            ...bearer(adminToken),
            'if-match': 'soon',
          },
        );
        expect(badIfMatch.status).toBe(400);
        expect(badIfMatch.body.errors[0].field).toBe('if-match');

        expect(
          (await api('PATCH', path, { name: 'Renamed' }, bearer(adminToken))).body.version,
        ).toBe(2);
        const stale = await api(
          'PATCH',
          path,
          { percentOff: 50 },
          {
            ...bearer(adminToken),
            'if-match': '1',
          },
        );
        expect(stale.status).toBe(409);
        expect(stale.body.code).toBe('PROMOTION_VERSION_CONFLICT');

        const stored = await api('GET', path, undefined, bearer(adminToken));
        expect(stored.body).toMatchObject({
          name: 'Renamed',
          percentOff: 5,
          endsAt: null,
          version: 2,
          status: 'active',
        });
      });

      it('answers 404 for an unknown promotion, 403 for non-admins, 401 without a token', async () => {
        const unknown = `${promotions}/00000000-0000-4000-8000-000000000000`;
        for (const [method, path, body] of [
          ['GET', unknown, undefined],
          ['PATCH', unknown, { name: 'x' }],
          ['POST', `${unknown}/end`, undefined],
        ] as const) {
          const response = await api(method, path, body, bearer(adminToken));
          expect(response.status).toBe(404);
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(response.body.code).toBe('PROMOTION_NOT_FOUND');
        }
        const sku = `NW-${unique()}-PA`;
        const created = await api(
          'POST',
          promotions,
          {
            name: 'admins only',
            kind: 'percentage',
            percentOff: 5,
            target: { type: 'skus', skus: [sku] },
            stacking: 'stackable',
          },
          bearer(adminToken),
        );
        const path = `${promotions}/${created.body.promotionId}`;
        for (const [method, route, body] of [
          ['GET', path, undefined],
          ['PATCH', path, { percentOff: 90 }],
          ['POST', `${path}/end`, undefined],
        ] as const) {
          expect((await api(method, route, body, bearer(sellerToken))).status).toBe(403);
          expect((await api(method, route, body)).status).toBe(401);
        }
        const stored = await api('GET', path, undefined, bearer(adminToken));
        expect(stored.body).toMatchObject({ percentOff: 5, status: 'active', version: 1 });
      });
    });
  });
}
