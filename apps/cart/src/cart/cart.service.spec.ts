import { Test, type TestingModule } from '@nestjs/testing';
import {
  AddCartItem,
  ApplyCartCoupon,
  CartItemAdded,
  ClearOrderedItems,
  GetCart,
  MergeGuestCart,
  RemoveCartCoupon,
  RemoveCartItem,
  SetCartItemQuantity,
  type CartView,
  type EventData,
} from '@mercato/contracts';
import { ConfigModule } from '@mercato/config';
import { MessageBus, MessagingModule, RemoteError } from '@mercato/messaging';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { FakeCatalog } from '../../test/support/fake-catalog';
import { CartModule } from '../cart.module';
import { CartStore } from '../carts/cart-store';

/*
 * The cart service as its own process runs it: CartModule on the DynamoDB store (dynalite) and
 * the in-memory bus, with catalog's quotes and inventory's stock answered by a fake.
 */
let dynamo: TestDynamo;
let moduleRef: TestingModule;
let bus: MessageBus;
let store: CartStore;
const catalog = new FakeCatalog()
  .sell('TEE-M', { us: 2000, eu: 1800 }, 5)
  .sell('CAP-1', { us: 1500, eu: 1400 })
  .sell('MUG-1', { us: 900 })
  .sell('PEN-1', { us: 300, eu: 250 })
  .sell('BAG-1', { us: 5000, eu: 4500 });
const added: EventData<typeof CartItemAdded>[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamo();
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ MERCATO_CACHE: 'memory', CART_MAX_LINES: 3 }),
      PersistenceModule.forRoot(dynamo.config),
      MessagingModule.forRoot({ MERCATO_BUS: 'memory', BUS_MAX_ATTEMPTS: 1 }),
      CartModule,
    ],
  })
    .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
    .compile();
  bus = moduleRef.get(MessageBus);
  store = moduleRef.get(CartStore);
  catalog.register(bus);
  bus.subscribe(CartItemAdded, 'cart-spec', async (event) => {
    added.push(event);
  });
  await moduleRef.init();
}, 60_000);

afterAll(async () => {
  await moduleRef?.close();
  await dynamo?.close();
});

beforeEach(() => {
  added.length = 0;
});

/** The refusal a request ends with, as the gateway would see it. */
async function refusal(request: Promise<unknown>) {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RemoteError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { status: error.status, code: error.code, details: error.details };
}

const newGuestCart = async (sku = 'CAP-1', quantity = 1): Promise<CartView> =>
  bus.request(AddCartItem, { caller: {}, region: 'us', sku, quantity });

describe('guest carts', () => {
  it('creates a cart with a long random id for a guest without one, and finds it by that id', async () => {
    const created = await bus.request(GetCart, { caller: {}, region: 'us' });
    expect(created.cartId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(created).toMatchObject({ items: [], itemCount: 0, currency: 'USD', version: 1 });

    const again = await bus.request(GetCart, { caller: { cartId: created.cartId }, region: 'us' });
    expect(again.cartId).toBe(created.cartId);
    const other = await bus.request(GetCart, { caller: {}, region: 'us' });
    expect(other.cartId).not.toBe(created.cartId);
  });

  it('answers 404 for an unknown cart id, and for a customer cart asked for as a guest', async () => {
    expect(
      await refusal(bus.request(GetCart, { caller: { cartId: 'no-such-cart-id' }, region: 'us' })),
    ).toMatchObject({ status: 404, code: 'CART_NOT_FOUND' });
    const customers = await bus.request(GetCart, { caller: { customerId: 'c-404' }, region: 'us' });
    expect(
      await refusal(bus.request(GetCart, { caller: { cartId: customers.cartId }, region: 'us' })),
    ).toMatchObject({ status: 404, code: 'CART_NOT_FOUND' });
  });
});

describe('adding items', () => {
  it('prices the cart: lines, totals, the price when added, units', async () => {
    const cart = await newGuestCart('TEE-M', 2);
    const view = await bus.request(AddCartItem, {
      caller: { cartId: cart.cartId },
      region: 'us',
      sku: 'CAP-1',
      quantity: 1,
    });
    expect(view.items.map((i) => [i.sku, i.quantity, i.lineTotal.amount])).toEqual([
      ['TEE-M', 2, 4000],
      ['CAP-1', 1, 1500],
    ]);
    expect(view.items[0]).toMatchObject({
      productId: 'product-TEE-M',
      unitPrice: { amount: 2000, currency: 'USD' },
      unitPriceWhenAdded: { amount: 2000, currency: 'USD' },
      priceChanged: false,
    });
    expect(view).toMatchObject({ total: { amount: 5500, currency: 'USD' }, itemCount: 3 });
  });

  it('adds to the line already in the cart', async () => {
    const cart = await newGuestCart('CAP-1', 2);
    const view = await bus.request(AddCartItem, {
      caller: { cartId: cart.cartId },
      region: 'us',
      sku: 'CAP-1',
      quantity: 3,
    });
    expect(view.items.map((i) => [i.sku, i.quantity])).toEqual([['CAP-1', 5]]);
  });

  it('refuses a SKU catalog does not sell in the region (422)', async () => {
    expect(
      await refusal(
        bus.request(AddCartItem, { caller: {}, region: 'eu', sku: 'MUG-1', quantity: 1 }),
      ),
    ).toMatchObject({ status: 422, code: 'SKU_NOT_SOLD' });
  });

  it('refuses more than the stock with what is available (409), the cart unchanged', async () => {
    const cart = await newGuestCart('TEE-M', 4);
    expect(
      await refusal(
        bus.request(AddCartItem, {
          caller: { cartId: cart.cartId },
          region: 'us',
          sku: 'TEE-M',
          quantity: 2,
        }),
      ),
    ).toEqual({
      status: 409,
      code: 'INSUFFICIENT_STOCK',
      details: { sku: 'TEE-M', requested: 6, available: 5 },
    });
    expect((await store.get(cart.cartId))?.lines[0].quantity).toBe(4);
  });

  it('refuses more than the per-SKU limit (422 with the limit)', async () => {
    expect(
      await refusal(
        bus.request(AddCartItem, { caller: {}, region: 'us', sku: 'CAP-1', quantity: 11 }),
      ),
    ).toEqual({ status: 422, code: 'QUANTITY_LIMIT', details: { sku: 'CAP-1', limit: 10 } });
  });

  it('refuses a new line once the cart holds CART_MAX_LINES lines', async () => {
    const cart = await newGuestCart('CAP-1');
    const caller = { cartId: cart.cartId };
    for (const sku of ['TEE-M', 'PEN-1']) {
      await bus.request(AddCartItem, { caller, region: 'us', sku, quantity: 1 });
    }
    expect(
      await refusal(bus.request(AddCartItem, { caller, region: 'us', sku: 'BAG-1', quantity: 1 })),
    ).toMatchObject({ status: 422, code: 'CART_FULL' });
  });

  it('keeps every unit when adds of one cart race (compare-and-set, re-applied)', async () => {
    const cart = await newGuestCart('BAG-1');
    const caller = { cartId: cart.cartId };
    await Promise.all(
      [1, 2, 3, 4].map(() =>
        bus.request(AddCartItem, { caller, region: 'us', sku: 'BAG-1', quantity: 1 }),
      ),
    );
    expect((await store.get(cart.cartId))?.lines[0].quantity).toBe(5);
  });

  it('announces each addition as CartItemAdded, keyed by the cart of a guest', async () => {
    const cart = await newGuestCart('PEN-1', 2);
    await bus.drain();
    expect(added).toEqual([
      {
        eventId: expect.any(String),
        cartId: cart.cartId,
        sku: 'PEN-1',
        productId: 'product-PEN-1',
        quantity: 2,
        region: 'us',
        unitPrice: { amount: 300, currency: 'USD' },
        occurredAt: expect.any(String),
      },
    ]);
  });

  it('still answers the cart when the event cannot be published', async () => {
    const publish = jest.spyOn(bus, 'publish').mockRejectedValueOnce(new Error('bus down'));
    try {
      const view = await newGuestCart('PEN-1', 1);
      expect(view.itemCount).toBe(1);
    } finally {
      publish.mockRestore();
    }
  });
});

describe('quantities and removal', () => {
  it('sets a quantity, removes the line at 0, and answers 404 for a SKU not in the cart', async () => {
    const cart = await newGuestCart('CAP-1', 1);
    const caller = { cartId: cart.cartId };
    const raised = await bus.request(SetCartItemQuantity, {
      caller,
      region: 'us',
      sku: 'CAP-1',
      quantity: 4,
    });
    expect(raised.items[0].quantity).toBe(4);
    await bus.drain();
    expect(added.at(-1)).toMatchObject({ sku: 'CAP-1', quantity: 3 });

    expect(
      await refusal(
        bus.request(SetCartItemQuantity, { caller, region: 'us', sku: 'TEE-M', quantity: 1 }),
      ),
    ).toMatchObject({ status: 404, code: 'CART_ITEM_NOT_FOUND' });
    expect(
      await refusal(
        bus.request(SetCartItemQuantity, { caller, region: 'us', sku: 'CAP-1', quantity: 11 }),
      ),
    ).toMatchObject({ status: 422, code: 'QUANTITY_LIMIT' });

    const emptied = await bus.request(SetCartItemQuantity, {
      caller,
      region: 'us',
      sku: 'CAP-1',
      quantity: 0,
    });
    expect(emptied.items).toEqual([]);
  });

  it('removes a line; removing one not in the cart changes nothing', async () => {
    const cart = await newGuestCart('CAP-1', 1);
    const caller = { cartId: cart.cartId };
    const kept = await bus.request(RemoveCartItem, { caller, region: 'us', sku: 'TEE-M' });
    expect(kept.version).toBe(cart.version);
    const removed = await bus.request(RemoveCartItem, { caller, region: 'us', sku: 'cap-1' });
    expect(removed.items).toEqual([]);
  });
});

describe('repricing on every read', () => {
  it('flags a price that changed since the line was added, and lists unsold SKUs apart', async () => {
    catalog.sell('HAT-1', { us: 1000 });
    catalog.sell('OLD-1', { us: 700 });
    const cart = await newGuestCart('HAT-1', 1);
    const caller = { cartId: cart.cartId };
    await bus.request(AddCartItem, { caller, region: 'us', sku: 'OLD-1', quantity: 2 });
    catalog.sell('HAT-1', { us: 1200 });
    catalog.skus.delete('OLD-1');

    const view = await bus.request(GetCart, { caller, region: 'us' });
    expect(view.items).toEqual([
      expect.objectContaining({
        sku: 'HAT-1',
        unitPrice: { amount: 1200, currency: 'USD' },
        unitPriceWhenAdded: { amount: 1000, currency: 'USD' },
        priceChanged: true,
      }),
    ]);
    expect(view.unavailableItems).toEqual([{ sku: 'OLD-1', quantity: 2 }]);
    expect(view.total.amount).toBe(1200);
  });

  it('moves the cart to the region asked for, repriced in its currency', async () => {
    const cart = await newGuestCart('CAP-1', 2);
    const view = await bus.request(GetCart, { caller: { cartId: cart.cartId }, region: 'eu' });
    expect(view).toMatchObject({ region: 'eu', currency: 'EUR', total: { amount: 2800 } });
    expect(view.items[0]).toMatchObject({
      unitPrice: { amount: 1400, currency: 'EUR' },
      unitPriceWhenAdded: { amount: 1400, currency: 'EUR' },
      priceChanged: false,
    });
    expect((await store.get(cart.cartId))?.region).toBe('eu');
  });
});

describe('coupons', () => {
  beforeAll(() => {
    catalog.coupons.set('TEN-OFF', 'applied');
    catalog.coupons.set('OLD-DEAL', 'expired');
  });

  it('applies a coupon that catalog applies (upper-cased) and lists it with its status', async () => {
    const cart = await newGuestCart('CAP-1', 2);
    const view = await bus.request(ApplyCartCoupon, {
      caller: { cartId: cart.cartId },
      region: 'us',
      code: 'ten-off',
    });
    expect(view.coupons).toEqual([
      { code: 'TEN-OFF', status: 'applied', promotionId: 'promo-TEN-OFF' },
    ]);
    expect(view).toMatchObject({ discount: { amount: 300 }, total: { amount: 2700 } });
  });

  it('refuses a coupon that does not apply with why, the cart unchanged', async () => {
    const cart = await newGuestCart('CAP-1', 1);
    expect(
      await refusal(
        bus.request(ApplyCartCoupon, {
          caller: { cartId: cart.cartId },
          region: 'us',
          code: 'old-deal',
        }),
      ),
    ).toEqual({
      status: 422,
      code: 'COUPON_INVALID',
      details: { code: 'OLD-DEAL', reason: 'expired' },
    });
    expect((await store.get(cart.cartId))?.coupons).toEqual([]);
  });

  it('keeps listing a coupon that stopped applying, with its status, until removed', async () => {
    catalog.coupons.set('SHORT-1', 'applied');
    const cart = await newGuestCart('CAP-1', 1);
    const caller = { cartId: cart.cartId };
    await bus.request(ApplyCartCoupon, { caller, region: 'us', code: 'SHORT-1' });
    catalog.coupons.set('SHORT-1', 'expired');

    const view = await bus.request(GetCart, { caller, region: 'us' });
    expect(view.coupons).toEqual([
      { code: 'SHORT-1', status: 'expired', promotionId: 'promo-SHORT-1' },
    ]);
    const removed = await bus.request(RemoveCartCoupon, { caller, region: 'us', code: 'short-1' });
    expect(removed.coupons).toEqual([]);
  });

  it('asks catalog with the customer, for per-customer coupon limits', async () => {
    await bus.request(GetCart, { caller: { customerId: 'c-coupons' }, region: 'us' });
    expect(catalog.quotedFor.at(-1)).toBe('c-coupons');
  });
});

describe('customer carts and the merge at login', () => {
  it('merges a guest cart: quantities added and capped, coupons kept, the guest cart gone', async () => {
    const customerId = 'c-merge';
    await bus.request(AddCartItem, {
      caller: { customerId },
      region: 'us',
      sku: 'TEE-M',
      quantity: 3,
    });
    const guest = await newGuestCart('TEE-M', 4);
    const caller = { cartId: guest.cartId };
    await bus.request(AddCartItem, { caller, region: 'us', sku: 'CAP-1', quantity: 2 });
    await bus.request(ApplyCartCoupon, { caller, region: 'us', code: 'TEN-OFF' });
    await bus.drain();
    added.length = 0;

    const merged = await bus.request(MergeGuestCart, {
      customerId,
      cartId: guest.cartId,
      region: 'us',
    });
    expect(merged.items.map((i) => [i.sku, i.quantity])).toEqual([
      ['TEE-M', 5],
      ['CAP-1', 2],
    ]);
    expect(merged.coupons.map((c) => c.code)).toEqual(['TEN-OFF']);
    expect(await store.get(guest.cartId)).toBeUndefined();
    expect(await refusal(bus.request(GetCart, { caller, region: 'us' }))).toMatchObject({
      status: 404,
      code: 'CART_NOT_FOUND',
    });
    await bus.drain();
    expect(added.map((e) => [e.customerId, e.sku, e.quantity])).toEqual([
      [customerId, 'TEE-M', 2],
      [customerId, 'CAP-1', 2],
    ]);
  });

  it('adds nothing twice when a merge is repeated after dying before the guest cart was deleted', async () => {
    const customerId = 'c-crash';
    const guest = await newGuestCart('PEN-1', 2);
    const before = await store.get(guest.cartId);
    await bus.request(MergeGuestCart, { customerId, cartId: guest.cartId, region: 'us' });
    // The guest cart as if the delete after the merge's save had never happened.
    await store.create({
      cartId: guest.cartId,
      owner: { kind: 'guest' },
      region: 'us',
      lines: before?.lines,
    });

    const again = await bus.request(MergeGuestCart, {
      customerId,
      cartId: guest.cartId,
      region: 'us',
    });
    expect(again.items.map((i) => [i.sku, i.quantity])).toEqual([['PEN-1', 2]]);
    expect(await store.get(guest.cartId)).toBeUndefined();
  });

  it('merges the guest cart a customer sends with a cart call', async () => {
    const guest = await newGuestCart('CAP-1', 1);
    const view = await bus.request(GetCart, {
      caller: { customerId: 'c-header', cartId: guest.cartId },
      region: 'us',
    });
    expect(view.cartId).not.toBe(guest.cartId);
    expect(view.items.map((i) => [i.sku, i.quantity])).toEqual([['CAP-1', 1]]);
    expect(await store.get(guest.cartId)).toBeUndefined();
  });

  it("never reveals another customer's cart: its id is ignored, the caller gets their own", async () => {
    const theirs = await bus.request(AddCartItem, {
      caller: { customerId: 'c-other' },
      region: 'us',
      sku: 'BAG-1',
      quantity: 1,
    });
    const mine = await bus.request(GetCart, {
      caller: { customerId: 'c-me', cartId: theirs.cartId },
      region: 'us',
    });
    expect(mine.cartId).not.toBe(theirs.cartId);
    expect(mine.items).toEqual([]);
    expect((await store.get(theirs.cartId))?.lines).toHaveLength(1);
  });

  it('merging an unknown guest cart merges nothing', async () => {
    const view = await bus.request(MergeGuestCart, {
      customerId: 'c-nothing',
      cartId: 'gone-gone-gone',
      region: 'us',
    });
    expect(view.items).toEqual([]);
  });
});

describe('clearing ordered items', () => {
  it('takes an order off the cart once, and answers no_cart without a cart', async () => {
    const customerId = 'c-order';
    const caller = { customerId };
    await bus.request(AddCartItem, { caller, region: 'us', sku: 'CAP-1', quantity: 3 });
    await bus.request(AddCartItem, { caller, region: 'us', sku: 'PEN-1', quantity: 1 });
    await bus.request(ApplyCartCoupon, { caller, region: 'us', code: 'TEN-OFF' });
    const order = {
      customerId,
      orderId: 'order-1',
      items: [
        { sku: 'CAP-1', quantity: 2 },
        { sku: 'PEN-1', quantity: 1 },
      ],
      coupons: ['TEN-OFF'],
    };

    expect(await bus.request(ClearOrderedItems, order)).toEqual({ status: 'cleared' });
    expect(await bus.request(ClearOrderedItems, order)).toEqual({ status: 'already_cleared' });
    const view = await bus.request(GetCart, { caller, region: 'us' });
    expect(view.items.map((i) => [i.sku, i.quantity])).toEqual([['CAP-1', 1]]);
    expect(view.coupons).toEqual([]);
    expect(
      await bus.request(ClearOrderedItems, { ...order, customerId: 'c-without-cart' }),
    ).toEqual({ status: 'no_cart' });
  });
});
