import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { CacheModule } from '@mercato/cache';
import { ConfigModule } from '@mercato/config';
import {
  ClearOrderedItems,
  CommitReservation,
  GetAvailability,
  PlaceOrder,
  RedeemCoupon,
  ReserveStock,
  ReviewHeldOrder,
  type OrderView,
  type RequestOf,
  type WarehouseId,
} from '@mercato/contracts';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { CheckoutShop } from '../../test/support/checkout-shop';
import { OrderModule } from '../order.module';
import { OrderRecorder } from '../orders/order-recorder';
import { OrdersRepository } from '../orders/orders.repository';
import { PaymentProvider } from '../payments/payment-provider';
import { CheckoutRecovery } from './checkout-recovery';
import { CheckoutClock } from './checkout.clock';
import { CheckoutsRepository, checkoutIdOf } from './checkouts.repository';
import { OrderReviewService } from './order-review.service';

/** The time checkout reads, moved by the specs (leases) instead of sleeping. */
class MovableClock extends CheckoutClock {
  offset = 0;
  override now(): number {
    return Date.now() + this.offset;
  }
}

const LEASE_MS = 30_000;

let dynamo: TestDynamo;
let app: TestingModule;
let bus: MessageBus;
let shop: CheckoutShop;
let payments: PaymentProvider;
let recorder: OrderRecorder;
let recovery: CheckoutRecovery;
const clock = new MovableClock();

beforeAll(async () => {
  dynamo = await startTestDynamo();
  app = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        // Billed abroad is a review; a second order from one device in an hour is a denial.
        FRAUD_WEIGHT_BILLING_SHIPPING_MISMATCH: '45',
        FRAUD_DEVICE_ORDERS_PER_HOUR: '1',
        FRAUD_WEIGHT_DEVICE_VELOCITY: '80',
        ORDER_RECOVERY_INTERVAL_MS: '600000',
        ORDER_CHECKOUT_LEASE_MS: String(LEASE_MS),
      }),
      PersistenceModule.forRoot(dynamo.config),
      CacheModule.forRoot({ MERCATO_CACHE: 'memory' }),
      MessagingModule.forRoot({ MERCATO_BUS: 'memory', BUS_MAX_ATTEMPTS: 1 }),
      OrderModule,
    ],
  })
    .overrideProvider(CheckoutClock)
    .useValue(clock)
    .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
    .compile();
  bus = app.get(MessageBus);
  shop = new CheckoutShop();
  shop.register(bus);
  await app.init();
  payments = app.get(PaymentProvider);
  recorder = app.get(OrderRecorder);
  recovery = app.get(CheckoutRecovery);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await dynamo?.close();
});

afterEach(() => jest.restoreAllMocks());

type PlaceRequest = RequestOf<typeof PlaceOrder>;

/** A customer with a cart of two lines (SKUs in stock) and the coupon SAVE10. */
function customerWithCart(options: { coupons?: string[]; stock?: [number, number] } = {}) {
  const customerId = `customer-${randomUUID()}`;
  const skus = [`A-${randomUUID().slice(0, 8)}`, `B-${randomUUID().slice(0, 8)}`];
  shop.stock(skus[0], options.stock?.[0] ?? 10);
  shop.stock(skus[1], options.stock?.[1] ?? 10);
  shop.cart(
    customerId,
    [
      { sku: skus[0], quantity: 2, unitPrice: 1_000, discount: 200 },
      { sku: skus[1], quantity: 1, unitPrice: 500 },
    ],
    options.coupons ?? ['SAVE10'],
  );
  const request = (changes: Partial<PlaceRequest> = {}) => placeRequest(customerId, changes);
  return { customerId, skus, request };
}

/** A checkout of the customer's cart: tok_visa, a US address, the key `key-<customerId>`. */
function placeRequest(customerId: string, changes: Partial<PlaceRequest> = {}): PlaceRequest {
  return {
    customerId,
    idempotencyKey: `key-${customerId}`,
    region: 'us',
    paymentToken: 'tok_visa',
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
    },
    origin: {},
    ...changes,
  };
}

const place = (request: PlaceRequest) => bus.request(PlaceOrder, request);

/** What a refused request answered (status, code, field errors, details). */
async function refusal(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { status: number; code: string; errors?: unknown; details?: unknown } | undefined;
  if (!error) throw new Error('expected a refusal, got an answer');
  return {
    status: error.status,
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.details ? { details: error.details } : {}),
  };
}

/** The order a customer's checkout reserved for (known from inventory's calls). */
function orderIdOf(sku: string): string | undefined {
  const call = shop.callsOf(ReserveStock).find((payload) => payload.sku === sku);
  return call ? String(call.reservationId).split(':')[0] : undefined;
}

const eventTypes = async (orderId: string) =>
  (await recorder.history(orderId)).map((event) => event.type);

describe('CheckoutService.place', () => {
  it('confirms the order: stock reserved then committed, coupons redeemed once, one authorisation, cart cleared', async () => {
    const { customerId, skus, request } = customerWithCart();
    const authorize = jest.spyOn(payments, 'authorize');

    const view = await place(request());

    expect(view).toMatchObject({
      customerId,
      status: 'confirmed',
      region: 'us',
      currency: 'USD',
      coupons: ['SAVE10'],
      totals: {
        subtotal: { amount: 2_500 },
        discount: { amount: 200 },
        shipping: { amount: 0 },
        tax: { amount: 0 },
        total: { amount: 2_300 },
      },
      payment: { status: 'authorized', brand: 'visa', last4: expect.any(String) },
    });
    expect(view.items.map((item) => item.sku)).toEqual(skus);
    const { orderId } = view;
    expect(orderId).toMatch(/^ord_/);
    expect(shop.holds.get(`${orderId}:${skus[0]}`)).toMatchObject({
      state: 'committed',
      ttlSeconds: 900,
    });
    expect(shop.holds.get(`${orderId}:${skus[1]}`)?.state).toBe('committed');
    expect(shop.callsOf(RedeemCoupon).filter((c) => c.orderId === orderId)).toHaveLength(1);
    expect(shop.clearedOrders.has(orderId)).toBe(true);
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(await eventTypes(orderId)).toEqual([
      'placed',
      'fraud_assessed',
      'stock_reserved',
      'coupons_redeemed',
      'payment_authorized',
      'confirmed',
      'stock_committed',
      'cart_cleared',
      // The lifecycle takes over once the checkout's steps are done (docs/order-lifecycle.md).
      'fulfillment_assigned',
    ]);
    expect(await app.get(CheckoutsRepository).listStale(Number.MAX_SAFE_INTEGER)).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ orderId })]),
    );
  });

  it('confirms a free order (a 100 % coupon) without asking the provider for an authorisation', async () => {
    const customerId = `customer-${randomUUID()}`;
    const sku = `F-${randomUUID().slice(0, 8)}`;
    shop.stock(sku, 5);
    shop.cart(customerId, [{ sku, quantity: 1, unitPrice: 1_000, discount: 1_000 }], ['FREE']);
    const authorize = jest.spyOn(payments, 'authorize');

    const view = await place(placeRequest(customerId));

    expect(view).toMatchObject({
      status: 'confirmed',
      totals: { total: { amount: 0 } },
      payment: { status: 'none' },
    });
    expect(authorize).not.toHaveBeenCalled();
    expect(shop.holds.get(`${view.orderId}:${sku}`)?.state).toBe('committed');
  });

  it('answers a retry with the same key the same order, placing nothing more (the origin may change)', async () => {
    const { skus, request } = customerWithCart();
    const authorize = jest.spyOn(payments, 'authorize');
    const first = await place(request({ origin: { ip: '192.0.2.1' } }));

    const again = await place(request({ origin: { ip: '198.51.100.7', deviceId: 'other' } }));

    expect(again).toEqual(first);
    expect(shop.callsOf(ReserveStock).filter((c) => c.sku === skus[0])).toHaveLength(1);
    expect(authorize).toHaveBeenCalledTimes(1);
  });

  it('answers a key whose saga was closed meanwhile with that saga’s answer, running nothing', async () => {
    // A retry that took the key over (its lease ran out while the order process was down)
    // finds the saga finished by recovery: the closed checkout holds the key's answer.
    const { customerId, request } = customerWithCart();
    const checkoutId = checkoutIdOf(customerId, `key-${customerId}`);
    const repository = app.get(CheckoutsRepository);
    // A real order's answer (its shape is the contract's), standing for the finished saga's.
    const finished = await place(customerWithCart().request());
    await repository.open({
      checkoutId,
      orderId: finished.orderId,
      customerId,
      idempotencyKey: `key-${customerId}`,
      claimId: 'claim-of-the-dead-run',
      paymentToken: 'tok_visa',
      openedAt: new Date(clock.now()).toISOString(),
      leaseUntil: clock.now(),
      owner: 'recovery',
    });
    await repository.finish(checkoutId, 'recovery', { status: 201, body: finished }, clock.now());
    const reserve = shop.callsOf(ReserveStock).length;

    expect(await place(request())).toEqual(finished);
    expect(await place(request())).toEqual(finished);
    expect(shop.callsOf(ReserveStock)).toHaveLength(reserve);
  });

  it('refuses the same key with another body (422), running nothing', async () => {
    const { request } = customerWithCart();
    await place(request());

    expect(await refusal(place(request({ paymentToken: 'tok_mastercard' })))).toMatchObject({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('runs one of concurrent requests with one key; the others are told to retry or get its answer', async () => {
    const { skus, request } = customerWithCart();
    const outcomes = await Promise.allSettled([0, 1, 2, 3].map(() => place(request())));

    const answers = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(new Set(answers.map((view: OrderView) => view.orderId)).size).toBe(1);
    for (const error of refused) {
      expect(error).toMatchObject({ status: 409, code: 'IDEMPOTENCY_IN_PROGRESS' });
    }
    expect(shop.callsOf(ReserveStock).filter((c) => c.sku === skus[0])).toHaveLength(1);
  });

  it('refuses an address the region cannot ship to (400, field errors) and replays the refusal', async () => {
    const { request } = customerWithCart();
    const bad = request({
      shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1234', country: 'US' },
    });

    const first = await refusal(place(bad));

    expect(first).toEqual({
      status: 400,
      code: 'INVALID_ADDRESS',
      errors: [{ field: 'shippingAddress.postalCode', message: expect.any(String) }],
    });
    expect(await refusal(place(bad))).toEqual(first);
  });

  it('refuses an empty cart (422 CART_EMPTY)', async () => {
    const { customerId, request } = customerWithCart();
    shop.cart(customerId, []);

    expect(await refusal(place(request()))).toMatchObject({ status: 422, code: 'CART_EMPTY' });
  });

  it('counts a customer without any cart as an empty cart', async () => {
    const { customerId, request } = customerWithCart();
    shop.carts.delete(customerId);

    expect(await refusal(place(request()))).toMatchObject({ status: 422, code: 'CART_EMPTY' });
  });

  it('refuses a cart with unavailable lines, naming them, and a coupon that no longer applies', async () => {
    const { customerId, request } = customerWithCart();
    const cart = shop.carts.get(customerId)!;
    shop.carts.set(customerId, { ...cart, unavailableItems: [{ sku: 'GONE-1', quantity: 1 }] });
    expect(await refusal(place(request()))).toEqual({
      status: 422,
      code: 'CART_UNAVAILABLE_ITEMS',
      details: { items: [{ sku: 'GONE-1', quantity: 1 }] },
    });

    const other = customerWithCart();
    const its = shop.carts.get(other.customerId)!;
    shop.carts.set(other.customerId, {
      ...its,
      coupons: [{ code: 'OLD', status: 'expired', promotionId: null }],
    });
    expect(await refusal(place(other.request()))).toEqual({
      status: 422,
      code: 'COUPON_INVALID',
      details: { code: 'OLD', reason: 'expired' },
    });
  });

  it('refuses when one of two lines is short (409 naming it): both lines released, nothing charged', async () => {
    const { skus, request } = customerWithCart({ stock: [10, 0] });
    const authorize = jest.spyOn(payments, 'authorize');

    const refused = await refusal(place(request()));

    expect(refused).toEqual({
      status: 409,
      code: 'OUT_OF_STOCK',
      details: { items: [{ sku: skus[1], requested: 1, available: 0 }] },
    });
    const orderId = orderIdOf(skus[0])!;
    expect(shop.heldFor(orderId)).toEqual([]);
    expect(shop.availableOf(skus[0])).toBe(10);
    expect(authorize).not.toHaveBeenCalled();
    expect((await recorder.load(orderId))?.status).toBe('failed');
    expect(await refusal(place(request()))).toEqual(refused);
  });

  it('refuses a coupon the catalog will not redeem (422): stock released, no charge', async () => {
    const { skus, request } = customerWithCart({ coupons: ['GONE'] });
    shop.couponAnswers.set('GONE', 'exhausted');

    expect(await refusal(place(request()))).toEqual({
      status: 422,
      code: 'COUPON_INVALID',
      details: { code: 'GONE', reason: 'exhausted' },
    });
    expect(shop.heldFor(orderIdOf(skus[0])!)).toEqual([]);
  });

  it('answers a declined card 402 with the reason: nothing held, coupons given back, no order listed', async () => {
    const { customerId, skus, request } = customerWithCart();

    expect(await refusal(place(request({ paymentToken: 'tok_declined' })))).toEqual({
      status: 402,
      code: 'PAYMENT_DECLINED',
      details: { reason: 'declined' },
    });
    const orderId = orderIdOf(skus[0])!;
    expect(shop.heldFor(orderId)).toEqual([]);
    expect(shop.redemptions.has(`SAVE10|${orderId}`)).toBe(false);
    expect(await eventTypes(orderId)).toEqual([
      'placed',
      'fraud_assessed',
      'stock_reserved',
      'coupons_redeemed',
      'stock_released',
      'coupons_released',
      'failed',
    ]);
    const listed = await app.get(OrdersRepository).listForCustomer(customerId, { limit: 10 });
    expect(listed.orders.filter((order) => order.status !== 'failed')).toEqual([]);
  });

  it('refuses a checkout fraud screening denies (422): nothing held, nothing charged', async () => {
    const deviceId = `device-${randomUUID()}`;
    await place(customerWithCart().request({ origin: { deviceId } }));
    const { skus, request } = customerWithCart();
    const authorize = jest.spyOn(payments, 'authorize');

    expect(await refusal(place(request({ origin: { deviceId } })))).toMatchObject({
      status: 422,
      code: 'FRAUD_REJECTED',
    });
    expect(orderIdOf(skus[0])).toBeUndefined();
    expect(authorize).not.toHaveBeenCalled();
  });
});

describe('the warehouses an order is reserved in', () => {
  /** A customer whose cart holds one unit each of two new SKUs stocked as given. */
  function cartStocked(
    a: Partial<Record<WarehouseId, number>>,
    b: Partial<Record<WarehouseId, number>>,
  ) {
    const customerId = `customer-${randomUUID()}`;
    const skus = [`A-${randomUUID().slice(0, 8)}`, `B-${randomUUID().slice(0, 8)}`];
    shop.stockIn(skus[0], a);
    shop.stockIn(skus[1], b);
    shop.cart(customerId, [
      { sku: skus[0], quantity: 1, unitPrice: 1_000 },
      { sku: skus[1], quantity: 1, unitPrice: 500 },
    ]);
    return { skus, request: placeRequest(customerId) };
  }

  it('splits the order when no one warehouse has both lines: each line is held where it is', async () => {
    const { skus, request } = cartStocked({ 'us-east': 5 }, { 'ap-south': 5 });

    const view = await place(request);

    expect(view.status).toBe('confirmed');
    expect(shop.warehousesOf(view.orderId)).toEqual({
      [skus[0]]: 'us-east',
      [skus[1]]: 'ap-south',
    });
  });

  it('ships both lines from a farther warehouse that has both rather than split them', async () => {
    const { skus, request } = cartStocked({ 'us-east': 5, 'eu-west': 5 }, { 'eu-west': 5 });

    const view = await place(request);

    expect(view.status).toBe('confirmed');
    expect(shop.warehousesOf(view.orderId)).toEqual({ [skus[0]]: 'eu-west', [skus[1]]: 'eu-west' });
    const tried = shop.callsOf(ReserveStock).find((call) => call.sku === skus[0]);
    expect(tried?.warehouseIds).toEqual(['eu-west', 'us-east', 'ap-south']);
  });

  it('reserves nearest-first, as without a plan, when the availability cannot be read', async () => {
    const { skus, request } = cartStocked({ 'us-east': 5, 'eu-west': 5 }, { 'eu-west': 5 });
    shop.failNext(GetAvailability);

    const view = await place(request);

    expect(view.status).toBe('confirmed');
    expect(shop.warehousesOf(view.orderId)).toEqual({ [skus[0]]: 'us-east', [skus[1]]: 'eu-west' });
  });
});

describe('the fraud review', () => {
  async function heldOrder() {
    const { skus, request } = customerWithCart();
    const view = await place(request({ billingCountry: 'CA' }));
    return { view, skus };
  }

  it('screens with the account age the gateway sends: a day-old account’s large order is held', async () => {
    const customerId = `customer-${randomUUID()}`;
    const sku = `L-${randomUUID().slice(0, 8)}`;
    shop.stock(sku, 5);
    // $600: over FRAUD_LARGE_ORDER_USD ($500), from an account made yesterday.
    shop.cart(customerId, [{ sku, quantity: 1, unitPrice: 60_000 }], []);
    const yesterday = new Date(clock.now() - 86_400_000).toISOString();

    const held = await place(placeRequest(customerId, { customerSince: yesterday }));

    expect(held).toMatchObject({ status: 'on_hold' });
    const view = await app.get(OrderReviewService).adminView((await recorder.load(held.orderId))!);
    expect(view.fraud?.reasons.map((reason) => reason.rule)).toContain('new_account_large_order');
  });

  it('holds a checkout screening sends to review: stock held for a day, not committed, cart cleared', async () => {
    const { view, skus } = await heldOrder();

    expect(view).toMatchObject({ status: 'on_hold', reason: 'fraud_review' });
    expect(shop.holds.get(`${view.orderId}:${skus[0]}`)).toMatchObject({
      state: 'held',
      ttlSeconds: 86_400,
    });
    expect(shop.clearedOrders.has(view.orderId)).toBe(true);
  });

  it('approving confirms the order and commits its stock', async () => {
    const { view, skus } = await heldOrder();

    const reviewed = await bus.request(ReviewHeldOrder, {
      orderId: view.orderId,
      decision: 'approve',
      adminId: 'admin-1',
    });

    expect(reviewed).toMatchObject({
      status: 'confirmed',
      fraud: { outcome: 'review', score: 45 },
      payments: [{ status: 'authorized', authorized: { amount: 2_300 } }],
    });
    expect(reviewed.timeline.map((entry) => entry.type).slice(-2)).toEqual([
      'approved',
      'stock_committed',
    ]);
    expect(shop.holds.get(`${view.orderId}:${skus[0]}`)?.state).toBe('committed');
  });

  it('rejecting cancels the order: stock released, payment voided, coupon given back', async () => {
    const { view } = await heldOrder();

    const reviewed = await bus.request(ReviewHeldOrder, {
      orderId: view.orderId,
      decision: 'reject',
      adminId: 'admin-1',
      reason: 'stolen card',
    });

    expect(reviewed).toMatchObject({
      status: 'cancelled',
      reason: 'stolen card',
      payment: { status: 'voided' },
      payments: [{ status: 'voided' }],
    });
    expect(shop.heldFor(view.orderId)).toEqual([]);
    expect(shop.redemptions.has(`SAVE10|${view.orderId}`)).toBe(false);
  });

  it('refuses to review an order that is not on hold (409)', async () => {
    const view = await place(customerWithCart().request());

    expect(
      await refusal(
        bus.request(ReviewHeldOrder, { orderId: view.orderId, decision: 'approve', adminId: 'a' }),
      ),
    ).toMatchObject({ status: 409, code: 'ORDER_TRANSITION_REFUSED' });
  });
});

describe('CheckoutRecovery', () => {
  /** Runs recovery once the lease has run out, and answers what it did with `orderId`. */
  async function recoverAfterLease(orderId: string) {
    clock.offset += LEASE_MS + 1;
    const outcomes = await recovery.runOnce();
    return outcomes.find((outcome) => outcome.orderId === orderId);
  }

  async function expectUndone(orderId: string) {
    const order = await recorder.load(orderId);
    expect(order).toMatchObject({ status: 'failed', reason: 'interrupted' });
    expect(shop.heldFor(orderId)).toEqual([]);
    expect(shop.redemptions.has(`SAVE10|${orderId}`)).toBe(false);
    if (order?.paymentId) expect((await payments.get(order.paymentId))?.status).toBe('voided');
  }

  it.each([
    ['reserving stock', ReserveStock],
    ['redeeming coupons', RedeemCoupon],
  ])('undoes a checkout that crashed while %s; the key runs again on retry', async (_, step) => {
    const { skus, request } = customerWithCart();
    shop.failNext(step);

    expect((await refusal(place(request()))).status).toBe(500);
    const orderId = orderIdOf(skus[0])!;

    expect(await recoverAfterLease(orderId)).toEqual({ orderId, action: 'compensate' });
    await expectUndone(orderId);
    const retried = await place(request());
    expect(retried.orderId).not.toBe(orderId);
    expect(retried.status).toBe('confirmed');
  });

  it('voids an authorisation whose reply was lost when undoing a crashed checkout', async () => {
    const { skus, request } = customerWithCart();
    const real = payments.authorize.bind(payments);
    jest.spyOn(payments, 'authorize').mockImplementationOnce(async (call) => {
      await real(call);
      throw new Error('connection reset');
    });

    expect((await refusal(place(request()))).status).toBe(500);
    const orderId = orderIdOf(skus[0])!;
    expect(await eventTypes(orderId)).not.toContain('payment_authorized');

    expect(await recoverAfterLease(orderId)).toEqual({ orderId, action: 'compensate' });
    const voided = (await recorder.history(orderId)).find((e) => e.type === 'payment_voided');
    expect(voided).toBeDefined();
    const paymentId = (voided!.data as { paymentId: string }).paymentId;
    expect((await payments.get(paymentId))?.status).toBe('voided');
    await expectUndone(orderId);
  });

  it.each([
    ['committing stock', CommitReservation],
    ['clearing the cart', ClearOrderedItems],
  ])('finishes a confirmed checkout that crashed while %s; the key replays it', async (_, step) => {
    const { skus, request } = customerWithCart();
    shop.failNext(step);

    expect((await refusal(place(request()))).status).toBe(500);
    const orderId = orderIdOf(skus[0])!;

    expect(await recoverAfterLease(orderId)).toEqual({ orderId, action: 'finish' });
    expect(shop.holds.get(`${orderId}:${skus[0]}`)?.state).toBe('committed');
    expect(shop.clearedOrders.has(orderId)).toBe(true);
    const replayed = await place(request());
    expect(replayed).toMatchObject({ orderId, status: 'confirmed' });
  });

  it('leaves a live checkout alone until its lease runs out, even when its process died', async () => {
    const { skus, request } = customerWithCart();
    shop.failNext(RedeemCoupon);
    // The process dies at the failure: it never hands its lease back.
    jest.spyOn(app.get(CheckoutsRepository), 'release').mockResolvedValueOnce(false);
    await refusal(place(request()));
    const orderId = orderIdOf(skus[0])!;

    expect((await recovery.runOnce()).map((o) => o.orderId)).not.toContain(orderId);
    expect(shop.heldFor(orderId)).toHaveLength(2);

    expect(await recoverAfterLease(orderId)).toEqual({ orderId, action: 'compensate' });
    await expectUndone(orderId);
  });

  // The success records 5 appends: placed with fraud_assessed, stock_reserved, coupons_redeemed,
  // payment_authorized with confirmed, stock_committed with cart_cleared. The process dies at
  // each.
  it.each([0, 1, 2, 3, 4])(
    'ends a checkout whose process died after %i recorded steps confirmed, or undone with nothing held',
    async (recorded) => {
      const { customerId, skus, request } = customerWithCart();
      const record = recorder.record.bind(recorder);
      let appends = 0;
      jest.spyOn(recorder, 'record').mockImplementation(async (...args) => {
        if (++appends > recorded) throw new Error('process died');
        return record(...args);
      });
      jest.spyOn(app.get(CheckoutsRepository), 'release').mockResolvedValue(false);
      await refusal(place(request()));
      jest.restoreAllMocks();
      const open = await app.get(CheckoutsRepository).listStale(Number.MAX_SAFE_INTEGER);
      const { orderId } = open.find((checkout) => checkout.customerId === customerId)!;

      const outcome = await recoverAfterLease(orderId);

      const order = await recorder.load(orderId);
      if (recorded === 0) {
        expect(outcome).toEqual({ orderId, action: 'discard' });
        expect(order).toBeUndefined();
      } else if (recorded >= 4) {
        expect(outcome).toEqual({ orderId, action: 'finish' });
        // Confirmed, then assigned its shipments by the lifecycle.
        expect(order).toMatchObject({
          status: 'fulfilling',
          progress: { stockCommitted: true, cartCleared: true },
        });
        expect(skus.map((sku) => shop.holds.get(`${orderId}:${sku}`)?.state)).toEqual([
          'committed',
          'committed',
        ]);
      } else {
        expect(outcome).toEqual({ orderId, action: 'compensate' });
        await expectUndone(orderId);
        const voided = (await recorder.history(orderId)).find((e) => e.type === 'payment_voided');
        // The authorisation was made before the 4th append, recorded or not: it is voided.
        expect(voided !== undefined).toBe(recorded >= 3);
        if (voided?.type === 'payment_voided') {
          expect((await payments.get(voided.data.paymentId))?.status).toBe('voided');
        }
      }
      const history = await recorder.history(orderId);
      expect(await recovery.runOnce()).toEqual([]);
      expect(await recorder.history(orderId)).toEqual(history);

      const retried = await place(request());
      expect(retried.status).toBe('confirmed');
      expect(retried.orderId === orderId).toBe(recorded >= 4);
    },
  );

  it('changes nothing more when it runs again', async () => {
    const { skus, request } = customerWithCart();
    shop.failNext(ReserveStock);
    await refusal(place(request()));
    const orderId = orderIdOf(skus[0])!;
    await recoverAfterLease(orderId);
    const history = await recorder.history(orderId);
    const calls = shop.calls.length;

    expect(await recoverAfterLease(orderId)).toBeUndefined();
    expect(await recorder.history(orderId)).toEqual(history);
    expect(shop.calls.length).toBe(calls);
  });
});
