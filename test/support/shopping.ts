import { randomBytes } from 'node:crypto';
import { eventually } from './commerce.specs';
import { call } from './embedded-store';

/*
 * What a spec of a running store does as a shopper and as the admin stocking the shelves:
 * sign up, restock a warehouse, check out. Shared by the checkout (issue 18) and order
 * lifecycle (issue 20) specs.
 */

type Headers = Record<string, string>;

export const US_ADDRESS = {
  name: 'Ada Lovelace',
  line1: '1 Main St',
  city: 'Springfield',
  state: 'IL',
  postalCode: '62701',
  country: 'US',
};

export const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

/** Eight hex digits for names, SKUs and keys no other test (or earlier run) uses. */
export const unique = () => randomBytes(4).toString('hex').toUpperCase();

/**
 * A new customer of the us region, signed in. `headers` go with the login (an `X-Cart-Id`
 * there merges a guest cart).
 */
export async function newCustomer(
  baseUrl: string,
  headers: Headers = {},
): Promise<{ token: string; customerId: string }> {
  const email = `shopper-${unique().toLowerCase()}@example.com`;
  const password = 'shopper password 2026';
  const registered = await call(baseUrl, 'POST', '/v1/auth/register', {
    body: { email, password, name: 'Sam Shopper', region: 'us' },
  });
  expect(registered.status).toBe(201);
  const login = await call(baseUrl, 'POST', '/v1/auth/login', {
    body: { email, password },
    headers,
  });
  expect(login.status).toBe(200);
  return { token: login.body.accessToken as string, customerId: registered.body.customerId };
}

/**
 * Adds `quantity` units of `sku` to one warehouse. A new product's SKUs get their stock item a
 * moment after the product is created (over the bus), so a 404 is waited out.
 */
export async function restock(
  baseUrl: string,
  adminToken: string,
  sku: string,
  warehouseId: string,
  quantity: number,
): Promise<void> {
  const key = `restock-${sku}-${unique()}`;
  await eventually(
    async () => {
      const response = await call(baseUrl, 'POST', `/v1/admin/inventory/${sku}/restock`, {
        body: { warehouseId, quantity },
        headers: { ...bearer(adminToken), 'idempotency-key': key },
      });
      if (response.status === 404) return undefined;
      expect(response.status).toBe(200);
      return true;
    },
    15_000,
    `the stock item of ${sku}`,
  );
}

/** Checks out the customer's cart: `tok_visa` to US_ADDRESS unless `body` says otherwise. */
export const checkout = (
  baseUrl: string,
  token: string,
  idempotencyKey: string,
  body: Record<string, unknown> = {},
) =>
  call(baseUrl, 'POST', '/v1/checkout', {
    body: { paymentToken: 'tok_visa', shippingAddress: US_ADDRESS, ...body },
    headers: { ...bearer(token), 'idempotency-key': idempotencyKey },
  });
