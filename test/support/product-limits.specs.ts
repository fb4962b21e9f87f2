import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { PRODUCT_LIMITS } from '@mercato/contracts';
import { productAtLimits } from '@mercato/testing';
import { ADMIN, firstLeaf, productBody } from './commerce.specs';
import { call } from './embedded-store';
import type { StoreUnderTest } from './store-api.suite';

/**
 * Product input limits and free products (issue 16), end to end on any way of running the
 * store: no body can reach DynamoDB as an item over its 400 KB (which surfaced as a 502 before),
 * a field over its limit answers 400 naming it, and a price of 0 needs `free: true`.
 */
export function productLimitsSpecs(target: () => StoreUnderTest): void {
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(target().baseUrl, method, path, { body, headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const unique = () => randomBytes(3).toString('hex').toUpperCase();
  let seller: Record<string, string>;
  let leaf: string;

  beforeAll(async () => {
    const admin = await api('POST', '/v1/auth/login', ADMIN);
    const email = `limits-${unique().toLowerCase()}@example.com`;
    const password = 'seller password 2026';
    const created = await api(
      'POST',
      '/v1/admin/sellers',
      { email, password, name: 'Limits Ltd', region: 'us' },
      bearer(admin.body.accessToken),
    );
    expect(created.status).toBe(201);
    seller = bearer((await api('POST', '/v1/auth/login', { email, password })).body.accessToken);
    leaf = firstLeaf((await api('GET', '/v1/categories')).body.items);
  });

  /**
   * Sends a body too large to be accepted the way a careful client does: headers and a first
   * part, then the rest only if no answer came. The server answers 413 from the declared length
   * and closes; `fetch` writing the whole body would fail with EPIPE and lose that answer.
   */
  function postOversized(
    path: string,
    json: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; contentType: string; text: string }> {
    const payload = Buffer.from(json);
    return new Promise((resolve, reject) => {
      let answered = false;
      const request = httpRequest(`${target().baseUrl}${path}`, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(payload.length),
        },
      });
      request.on('response', (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          request.destroy();
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      request.on('error', (error) => {
        if (!answered) reject(error);
      });
      request.write(payload.subarray(0, 64 * 1024));
      setTimeout(() => {
        if (!answered) request.end(payload.subarray(64 * 1024));
      }, 2_000).unref();
    });
  }

  /** The SKU is free again (nothing was stored): a plain product with it is created. */
  async function expectNothingStored(sku: string): Promise<void> {
    const plain = await api('POST', '/v1/seller/products', productBody(leaf, [sku]), seller);
    expect(plain.status).toBe(201);
  }

  it('refuses 500 KB of specs with a 400 naming specs, and stores nothing', async () => {
    const sku = `LIM-${unique()}-1`;
    const body = {
      ...productBody(leaf, [sku]),
      specs: Object.fromEntries(
        Array.from({ length: 500 }, (_, i) => [`spec ${i}`, 'x'.repeat(1_000)]),
      ),
    };
    const refused = await api('POST', '/v1/seller/products', body, seller);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([
      { field: 'specs', message: `at most ${PRODUCT_LIMITS.specs.entries} specs` },
    ]);
    // Few specs, but one of them 300 KB: the total is over its limit.
    const long = { ...body, specs: { material: 'x'.repeat(300_000) } };
    const alsoRefused = await api('POST', '/v1/seller/products', long, seller);
    expect(alsoRefused.status).toBe(400);
    expect(alsoRefused.body.errors.map((e: { field: string }) => e.field)).toEqual(['specs']);
    await expectNothingStored(sku);
  });

  it('answers 413 problem+json for a body over 5 MB, and stores nothing', async () => {
    const sku = `LIM-${unique()}-2`;
    const body = { ...productBody(leaf, [sku]), description: 'x'.repeat(6 * 1024 * 1024) };
    const refused = await postOversized('/v1/seller/products', JSON.stringify(body), seller);
    expect(refused.status).toBe(413);
    expect(refused.contentType).toContain('application/problem+json');
    expect(JSON.parse(refused.text)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    await expectNothingStored(sku);
  });

  it('refuses a price of 0 naming it unless the product is marked free: true', async () => {
    const sku = `LIM-${unique()}-3`;
    const body = productBody(leaf, [sku]);
    body.variants[0].prices[1].amount = 0;
    const refused = await api('POST', '/v1/seller/products', body, seller);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        field: 'variants.0.prices.1.amount',
        message: 'a price of 0 needs the product marked free: true',
      },
    ]);
    const free = await api('POST', '/v1/seller/products', { ...body, free: true }, seller);
    expect(free.status).toBe(201);
    const detail = await api('GET', `/v1/products/${free.body.productId}`, undefined, {
      'x-region': 'eu',
    });
    expect(detail.body.variants[0].price).toEqual({ amount: 0, currency: 'EUR' });
    // An update must say so again: free is part of the body, not kept from before.
    const update = await api('PUT', `/v1/seller/products/${free.body.productId}`, body, seller);
    expect(update.status).toBe(400);
  });

  it('stores the largest product the limits allow (201) and serves it', async () => {
    const body = productAtLimits(leaf, `LIM-${unique()}`);
    const created = await api('POST', '/v1/seller/products', body, seller);
    expect(created.status).toBe(201);
    expect(created.body.variants).toHaveLength(PRODUCT_LIMITS.variants);
    const detail = await api('GET', `/v1/products/${created.body.productId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.description).toBe(body.description);
    expect(Object.keys(detail.body.specs)).toHaveLength(PRODUCT_LIMITS.specs.entries);
    expect(detail.body.variants).toHaveLength(PRODUCT_LIMITS.variants);
  });

  it('rejects a feed row over a limit naming the field, and applies the others', async () => {
    const good = { externalId: `lim-${unique()}`, ...productBody(leaf, [`LIM-${unique()}-4`]) };
    const bad = {
      externalId: `lim-${unique()}`,
      ...productBody(leaf, [`LIM-${unique()}-5`]),
      images: Array.from({ length: PRODUCT_LIMITS.images.count + 1 }, () => 'https://i.example/1'),
    };
    const fed = await api('POST', '/v1/seller/products/feed', [good, bad], seller);
    expect(fed.status).toBe(200);
    expect(fed.body.results.map((r: { status: string }) => r.status)).toEqual([
      'created',
      'rejected',
    ]);
    expect(fed.body.results[1].errors.map((e: { field: string }) => e.field)).toEqual(['images']);
  });

  it('refuses unknown fields of a product body and of a feed row, naming them, and stores nothing', async () => {
    const sku = `LIM-${unique()}-6`;
    const body = productBody(leaf, [sku]);
    const misspelt = {
      ...body,
      descripton: 'a typo that must not vanish silently',
      variants: [{ ...body.variants[0], price: 100 }],
    };
    const refused = await api('POST', '/v1/seller/products', misspelt, seller);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'descripton', message: 'Unknown field' },
        { field: 'variants.0.price', message: 'Unknown field' },
      ]),
    );
    await expectNothingStored(sku);

    const row = { externalId: `lim-${unique()}`, ...productBody(leaf, [`LIM-${unique()}-7`]) };
    const fed = await api('POST', '/v1/seller/products/feed', [{ ...row, colour: 'red' }], seller);
    expect(fed.status).toBe(200);
    expect(fed.body.results[0]).toMatchObject({
      status: 'rejected',
      errors: [{ field: 'colour', message: 'Unknown field' }],
    });
  });
}
