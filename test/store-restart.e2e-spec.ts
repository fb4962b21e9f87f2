import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, startEmbeddedStore } from './support/embedded-store';

const ADDRESS = {
  name: 'Grace Hopper',
  line1: '1 Main St',
  city: 'Arlington',
  postalCode: '22201',
  country: 'US',
};

async function login(baseUrl: string): Promise<string> {
  const answer = await call(baseUrl, 'POST', '/v1/auth/login', {
    body: { email: 'grace@example.com', password: 'compilers are fun' },
  });
  return answer.body.accessToken as string;
}

/** A SKU of the seeded catalog with units to sell in the us region. */
async function skuInStock(baseUrl: string): Promise<string> {
  const { body } = await call(baseUrl, 'GET', '/v1/products?limit=20');
  for (const { productId } of body.items as { productId: string }[]) {
    const stock = await call(baseUrl, 'GET', `/v1/products/${productId}/availability`);
    const variant = (stock.body.variants as { sku: string; available: number }[]).find(
      (v) => v.available > 2,
    );
    if (variant) return variant.sku;
  }
  throw new Error('no seeded SKU in stock');
}

/**
 * `npm start` keeps its data under .data/: a restart finds the customers, the catalog, carts
 * and orders.
 */
describe('Embedded store on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mercato-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps accounts, signing keys, the seeded catalog, carts and orders across a restart', async () => {
    const env = {
      MERCATO_STORAGE: 'disk',
      MERCATO_DATA_DIR: dataDir,
      MERCATO_SEED_PRODUCTS: '120',
    };
    const first = await startEmbeddedStore(env);
    let productsBefore: unknown;
    let jwksBefore: unknown;
    let guestCart: { cartId: string; items: unknown[] };
    let orderId: string;
    try {
      const registered = await call(first.baseUrl, 'POST', '/v1/auth/register', {
        body: {
          email: 'grace@example.com',
          password: 'compilers are fun',
          name: 'Grace',
          region: 'us',
        },
      });
      expect(registered.status).toBe(201);
      productsBefore = (await call(first.baseUrl, 'GET', '/v1/products?limit=50')).body;
      jwksBefore = (await call(first.baseUrl, 'GET', '/.well-known/jwks.json')).body;
      const sku = await skuInStock(first.baseUrl);
      // A guest's cart, and an order of Grace's: a customer's data survives a restart.
      guestCart = (
        await call(first.baseUrl, 'POST', '/v1/cart/items', { body: { sku, quantity: 1 } })
      ).body;
      const token = await login(first.baseUrl);
      await call(first.baseUrl, 'POST', '/v1/cart/items', {
        body: { sku, quantity: 1 },
        headers: { authorization: `Bearer ${token}` },
      });
      const placed = await call(first.baseUrl, 'POST', '/v1/checkout', {
        body: { paymentToken: 'tok_visa', shippingAddress: ADDRESS },
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'restart-order-1' },
      });
      expect(placed.status).toBe(201);
      orderId = placed.body.orderId;
    } finally {
      await first.close();
    }

    const second = await startEmbeddedStore(env);
    try {
      const login = await call(second.baseUrl, 'POST', '/v1/auth/login', {
        body: { email: 'grace@example.com', password: 'compilers are fun' },
      });
      expect(login.status).toBe(200);
      expect((await call(second.baseUrl, 'GET', '/v1/products?limit=50')).body).toEqual(
        productsBefore,
      );
      expect((await call(second.baseUrl, 'GET', '/.well-known/jwks.json')).body).toEqual(
        jwksBefore,
      );
      const cart = await call(second.baseUrl, 'GET', '/v1/cart', {
        headers: { 'x-cart-id': guestCart.cartId },
      });
      expect(cart.status).toBe(200);
      expect(cart.body.items).toEqual(guestCart.items);
      const token = login.body.accessToken as string;
      const orders = await call(second.baseUrl, 'GET', '/v1/orders', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(orders.body.items.map((o: { orderId: string }) => o.orderId)).toEqual([orderId]);
    } finally {
      await second.close();
    }
  }, 120_000);
});
