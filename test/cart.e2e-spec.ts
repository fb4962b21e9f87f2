import { randomBytes, randomUUID } from 'node:crypto';
import {
  AddCartItem,
  ApplyCartCoupon,
  CartItemAdded,
  ClearOrderedItems,
  GetCart,
  MergeGuestCart,
  ReserveStock,
  type CartView,
  type EventData,
} from '@mercato/contracts';
import { RemoteError } from '@mercato/messaging';
import {
  call,
  startEmbeddedStore,
  type RunningStore,
  STORE_CLOSE_MS,
} from './support/embedded-store';
import { signInAdmin } from './support/shop-accounts';

/*
 * The cart on the real embedded store, driven over its bus as the gateway drives it: catalog
 * prices it through QuoteCart, inventory answers the stock, the promotions engine the coupons.
 */
let store: RunningStore;
let adminToken: string;
const events: EventData<typeof CartItemAdded>[] = [];

const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  call(store.baseUrl, method, path, { body, headers });

interface StockedSku {
  sku: string;
  productId: string;
  warehouses: { warehouseId: string; available: number }[];
}

/** SKUs of the seeded catalog with at least 20 units in every warehouse, one per product. */
async function stockedSkus(count: number): Promise<StockedSku[]> {
  const found: StockedSku[] = [];
  const { body } = await api('GET', '/v1/products?limit=50', undefined, { 'x-region': 'us' });
  for (const { productId } of body.items as { productId: string }[]) {
    const availability = await api('GET', `/v1/products/${productId}/availability`, undefined, {
      'x-region': 'us',
    });
    const variant = (availability.body.variants as StockedSku[]).find((v) =>
      v.warehouses.every((w) => w.available >= 20),
    );
    if (variant) found.push({ ...variant, productId });
    if (found.length === count) return found;
  }
  throw new Error(`fewer than ${count} well stocked SKUs in the first 50 products`);
}

/** Holds all but `keep` units of the SKU (every warehouse), so little is left to buy. */
async function leaveOnly(item: StockedSku, keep: number): Promise<void> {
  const order = ['us-east', 'eu-west', 'ap-south'];
  const warehouses = [...item.warehouses].sort(
    (a, b) => order.indexOf(a.warehouseId) - order.indexOf(b.warehouseId),
  );
  for (const [i, warehouse] of warehouses.entries()) {
    const quantity = warehouse.available - (i === warehouses.length - 1 ? keep : 0);
    const answer = await store.bus.request(ReserveStock, {
      reservationId: `cart-e2e-${randomUUID()}`,
      sku: item.sku,
      quantity,
      region: 'us',
      ttlSeconds: 3_600,
    });
    expect(answer).toMatchObject({ status: 'reserved', warehouseId: warehouse.warehouseId });
  }
}

async function refusal(request: Promise<unknown>) {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RemoteError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { status: error.status, code: error.code, details: error.details };
}

const lines = (view: CartView) => view.items.map((i) => [i.sku, i.quantity]);

beforeAll(async () => {
  store = await startEmbeddedStore();
  store.bus.subscribe(CartItemAdded, 'cart-e2e', async (event) => {
    events.push(event);
  });
  adminToken = await signInAdmin(store.baseUrl);
}, 120_000);

afterAll(() => store?.close(), STORE_CLOSE_MS);

describe('cart on the embedded store', () => {
  let first: StockedSku;
  let second: StockedSku;
  let scarce: StockedSku;
  let guest: CartView;
  const customerId = `customer-${randomUUID()}`;

  beforeAll(async () => {
    [first, second, scarce] = await stockedSkus(3);
  });

  it('lets a guest add two products and answers the cart priced as product detail', async () => {
    const added = await store.bus.request(AddCartItem, {
      caller: {},
      region: 'us',
      sku: first.sku,
      quantity: 2,
    });
    guest = await store.bus.request(AddCartItem, {
      caller: { cartId: added.cartId },
      region: 'us',
      // Any case finds the SKU; the cart keeps it as catalog spells it.
      sku: second.sku.toLowerCase(),
      quantity: 1,
    });

    expect(guest.cartId).toBe(added.cartId);
    expect(guest).toMatchObject({ region: 'us', currency: 'USD', itemCount: 3 });
    expect(lines(guest)).toEqual([
      [first.sku, 2],
      [second.sku, 1],
    ]);
    const detail = await api('GET', `/v1/products/${first.productId}`, undefined, {
      'x-region': 'us',
    });
    const variant = detail.body.variants.find((v: { sku: string }) => v.sku === first.sku);
    expect(guest.items[0].unitPrice).toEqual(variant.listPrice ?? variant.price);
    expect(guest.items[0].lineTotal.amount).toBe(variant.price.amount * 2);
    const subtotal = guest.items.reduce((sum, i) => sum + i.unitPrice.amount * i.quantity, 0);
    expect(guest.subtotal).toEqual({ amount: subtotal, currency: 'USD' });
    expect(guest.total.amount).toBe(subtotal - guest.discount.amount);
  });

  it('refuses more units than are available with 409 and the facts', async () => {
    await leaveOnly(scarce, 3);
    expect(
      await refusal(
        store.bus.request(AddCartItem, {
          caller: { cartId: guest.cartId },
          region: 'us',
          sku: scarce.sku,
          quantity: 4,
        }),
      ),
    ).toEqual({
      status: 409,
      code: 'INSUFFICIENT_STOCK',
      details: { sku: scarce.sku, requested: 4, available: 3 },
    });
  });

  it('refuses more than the per-SKU limit with 422', async () => {
    expect(
      await refusal(
        store.bus.request(AddCartItem, {
          caller: { cartId: guest.cartId },
          region: 'us',
          sku: first.sku,
          quantity: 9,
        }),
      ),
    ).toEqual({ status: 422, code: 'QUANTITY_LIMIT', details: { sku: first.sku, limit: 10 } });
  });

  it('applies a coupon an admin created, and refuses an unknown one with why', async () => {
    const code = `CART-${randomBytes(3).toString('hex').toUpperCase()}`;
    const created = await api(
      'POST',
      '/v1/admin/promotions',
      {
        name: '10% with a code',
        kind: 'percentage',
        percentOff: 10,
        target: { type: 'all' },
        stacking: 'stackable',
        coupon: { code },
      },
      { authorization: `Bearer ${adminToken}` },
    );
    expect(created.status).toBe(201);

    const view = await store.bus.request(ApplyCartCoupon, {
      caller: { cartId: guest.cartId },
      region: 'us',
      code: code.toLowerCase(),
    });
    expect(view.coupons).toEqual([
      { code, status: 'applied', promotionId: created.body.promotionId },
    ]);
    expect(view.discount.amount).toBeGreaterThan(guest.discount.amount);
    expect(view.total.amount).toBe(view.subtotal.amount - view.discount.amount);

    expect(
      await refusal(
        store.bus.request(ApplyCartCoupon, {
          caller: { cartId: guest.cartId },
          region: 'us',
          code: 'NO-SUCH-CODE',
        }),
      ),
    ).toEqual({
      status: 422,
      code: 'COUPON_INVALID',
      details: { code: 'NO-SUCH-CODE', reason: 'unknown' },
    });
  });

  it("merges the guest cart into the customer's at login, and the guest cart is gone", async () => {
    await store.bus.request(AddCartItem, {
      caller: { customerId },
      region: 'us',
      sku: first.sku,
      quantity: 1,
    });
    const merged = await store.bus.request(MergeGuestCart, {
      customerId,
      cartId: guest.cartId,
      region: 'us',
    });

    expect(merged.cartId).not.toBe(guest.cartId);
    expect(lines(merged)).toEqual([
      [first.sku, 3],
      [second.sku, 1],
    ]);
    expect(merged.coupons.map((c) => c.status)).toEqual(['applied']);
    expect(
      await refusal(store.bus.request(GetCart, { caller: { cartId: guest.cartId }, region: 'us' })),
    ).toMatchObject({ status: 404, code: 'CART_NOT_FOUND' });
  });

  it('moves the cart to another region, repriced in its currency', async () => {
    const view = await store.bus.request(GetCart, { caller: { customerId }, region: 'eu' });
    expect(view).toMatchObject({ region: 'eu', currency: 'EUR' });
    expect(view.items.map((i) => [i.unitPrice.currency, i.priceChanged])).toEqual([
      ['EUR', false],
      ['EUR', false],
    ]);
    expect(view.items[0].unitPriceWhenAdded).toEqual(view.items[0].unitPrice);
    expect(view.total.currency).toBe('EUR');
  });

  it('takes an order off the cart once, however often it is told', async () => {
    const order = {
      customerId,
      orderId: `order-${randomUUID()}`,
      items: [{ sku: first.sku, quantity: 2 }],
      coupons: [],
    };
    expect(await store.bus.request(ClearOrderedItems, order)).toEqual({ status: 'cleared' });
    expect(await store.bus.request(ClearOrderedItems, order)).toEqual({
      status: 'already_cleared',
    });
    const view = await store.bus.request(GetCart, { caller: { customerId }, region: 'eu' });
    expect(lines(view)).toEqual([
      [first.sku, 1],
      [second.sku, 1],
    ]);
  });

  it('published CartItemAdded for every addition, keyed by the shopper', async () => {
    await store.bus.drain();
    const ofGuest = events.filter((e) => e.cartId === guest.cartId);
    expect(ofGuest.map((e) => [e.sku, e.quantity, e.customerId])).toEqual([
      [first.sku, 2, undefined],
      [second.sku, 1, undefined],
    ]);
    const ofCustomer = events.filter((e) => e.customerId === customerId);
    expect(ofCustomer.map((e) => [e.sku, e.quantity])).toEqual([
      [first.sku, 1],
      [first.sku, 2],
      [second.sku, 1],
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });
});
