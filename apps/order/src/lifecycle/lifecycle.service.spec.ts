import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { CacheModule } from '@mercato/cache';
import { ConfigModule } from '@mercato/config';
import {
  FulfillmentRequested,
  OrderDelivered,
  OrderNeedsAttention,
  OrderShipped,
  PlaceOrder,
  RecordWarehouseEvent,
  ReleaseCoupon,
  RestockStock,
  ReturnStock,
  type EventContract,
  type RequestOf,
  type ShipmentStep,
  type WarehouseId,
} from '@mercato/contracts';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { CheckoutShop } from '../../test/support/checkout-shop';
import { CheckoutClock } from '../checkout/checkout.clock';
import { OrderModule } from '../order.module';
import { OrderQueriesService } from '../order-queries/order-queries.service';
import { OrderRecorder } from '../orders/order-recorder';
import { foldEvents } from '../orders/order-state';
import { PaymentProvider } from '../payments/payment-provider';
import { PaymentsClock } from '../payments/payments.clock';
import { LifecycleClock } from './lifecycle.clock';
import { LifecycleService } from './lifecycle.service';
import { LifecycleSweeper } from './lifecycle-sweeper';

/** One time for checkout, payments and the lifecycle, moved by the specs instead of sleeping. */
const time = { offset: 0 };
const now = () => Date.now() + time.offset;
class MovableCheckoutClock extends CheckoutClock {
  override now(): number {
    return now();
  }
}
class MovableLifecycleClock extends LifecycleClock {
  override now(): number {
    return now();
  }
}
class MovablePaymentsClock extends PaymentsClock {
  override now(): number {
    return now();
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PICK_TIMEOUT_MINUTES = 60;

let dynamo: TestDynamo;
let app: TestingModule;
let bus: MessageBus;
let shop: CheckoutShop;
let payments: PaymentProvider;
let recorder: OrderRecorder;
let lifecycle: LifecycleService;
let sweeper: LifecycleSweeper;
let queries: OrderQueriesService;

/** Integration events seen by a test consumer group, per type and order. */
const published: { type: string; orderId: string; shipmentId?: string; kind?: string }[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamo();
  app = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        ORDER_RECOVERY_INTERVAL_MS: '600000',
        ORDER_PICK_TIMEOUT_MINUTES: String(PICK_TIMEOUT_MINUTES),
        // Two tries keep the payment failure spec fast (backoff 200 ms between them).
        ORDER_PAYMENT_ATTEMPTS: '2',
        // Billed abroad is a fraud review (the on_hold spec).
        FRAUD_WEIGHT_BILLING_SHIPPING_MISMATCH: '45',
      }),
      PersistenceModule.forRoot(dynamo.config),
      CacheModule.forRoot({ MERCATO_CACHE: 'memory' }),
      MessagingModule.forRoot({ MERCATO_BUS: 'memory', BUS_MAX_ATTEMPTS: 1 }),
      OrderModule,
    ],
  })
    .overrideProvider(CheckoutClock)
    .useValue(new MovableCheckoutClock())
    .overrideProvider(LifecycleClock)
    .useValue(new MovableLifecycleClock())
    .overrideProvider(PaymentsClock)
    .useValue(new MovablePaymentsClock())
    .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
    .compile();
  bus = app.get(MessageBus);
  shop = new CheckoutShop();
  shop.register(bus);
  const watch = (contract: EventContract) =>
    bus.subscribe(contract, 'lifecycle-spec', async (event) => {
      const data = event as { orderId: string; shipmentId?: string; kind?: string };
      published.push({ type: contract.type, ...data });
    });
  [FulfillmentRequested, OrderShipped, OrderDelivered, OrderNeedsAttention].forEach(watch);
  await app.init();
  payments = app.get(PaymentProvider);
  recorder = app.get(OrderRecorder);
  lifecycle = app.get(LifecycleService);
  sweeper = app.get(LifecycleSweeper);
  queries = app.get(OrderQueriesService);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await dynamo?.close();
});

afterEach(() => {
  jest.restoreAllMocks();
  time.offset = 0;
});

interface Line {
  quantity: number;
  unitPrice: number;
  discount?: number;
  warehouse: WarehouseId;
}

/**
 * A confirmed order placed through checkout with tok_visa: each line's SKU is stocked only in
 * its warehouse, so the lines ship from there. Answers the order with its shipments by SKU.
 */
async function placedOrder(
  lines: Line[],
  options: { paymentToken?: string; coupons?: string[]; billingCountry?: string } = {},
) {
  const customerId = `customer-${randomUUID()}`;
  const skus = lines.map((_, i) => `S${i}-${randomUUID().slice(0, 8)}`);
  lines.forEach((line, i) => shop.stockIn(skus[i], { [line.warehouse]: 10 }));
  shop.cart(
    customerId,
    lines.map((line, i) => ({ sku: skus[i], ...line })),
    options.coupons ?? [],
  );
  const request: RequestOf<typeof PlaceOrder> = {
    customerId,
    idempotencyKey: `key-${customerId}`,
    region: 'us',
    paymentToken: options.paymentToken ?? 'tok_visa',
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
    },
    origin: {},
    ...(options.billingCountry ? { billingCountry: options.billingCountry } : {}),
  };
  const view = await bus.request(PlaceOrder, request);
  await bus.drain();
  return { customerId, skus, orderId: view.orderId, view };
}

/** Two lines in two warehouses: 2 × $10 (−$2) from us-east and 1 × $5 from eu-west. */
const splitOrder = (options: Parameters<typeof placedOrder>[1] = {}) =>
  placedOrder(
    [
      { quantity: 2, unitPrice: 1_000, discount: 200, warehouse: 'us-east' },
      { quantity: 1, unitPrice: 500, warehouse: 'eu-west' },
    ],
    options,
  );

const stateOf = async (orderId: string) => {
  const state = await recorder.load(orderId);
  if (!state) throw new Error(`no order ${orderId}`);
  return state;
};

const shipmentsOf = async (orderId: string) => (await stateOf(orderId)).fulfillment.shipments;

const eventTypes = async (orderId: string) =>
  (await recorder.history(orderId)).map((event) => event.type);

/** The order's status right after the first event of each type (folded from its history). */
async function statusesAfter(orderId: string, types: string[]) {
  const history = await recorder.history(orderId);
  return types.map((type) => {
    const upTo = history.findIndex((event) => event.type === type);
    return upTo < 0 ? undefined : foldEvents(history.slice(0, upTo + 1))?.status;
  });
}

const countOf = (types: string[], type: string) => types.filter((t) => t === type).length;

/** The provider's ledger of the order's payment, as `operation:amount`. */
async function ledgerOf(orderId: string): Promise<string[]> {
  const paymentId = (await stateOf(orderId)).progress.payment?.paymentId as string;
  const entries = (await payments.ledger(paymentId)) ?? [];
  return entries.map((entry) => `${entry.operation}:${entry.amount.amount}`);
}

/** A warehouse's step for a shipment, sent by a partner key bound to its warehouse. */
function warehouseEvent(
  orderId: string,
  shipment: { shipmentId: string; warehouseId: string },
  type: ShipmentStep,
  changes: Partial<RequestOf<typeof RecordWarehouseEvent>> = {},
) {
  return lifecycle.recordWarehouseEvent({
    orderId,
    shipmentId: shipment.shipmentId,
    eventId: `${shipment.shipmentId}-${type}`,
    type,
    occurredAt: new Date(now()).toISOString(),
    ...(type === 'shipped' ? { trackingNumber: '1Z999AA10123456784' } : {}),
    caller: {
      kind: 'partner',
      id: `key-${shipment.warehouseId}`,
      warehouseId: shipment.warehouseId as WarehouseId,
    },
    ...changes,
  });
}

/** Sends each step for each shipment, draining after each; answers the order's statuses. */
async function walk(
  orderId: string,
  steps: [{ shipmentId: string; warehouseId: string }, ShipmentStep][],
) {
  const statuses: string[] = [];
  for (const [shipment, type] of steps) {
    statuses.push((await warehouseEvent(orderId, shipment, type)).orderStatus);
    await bus.drain();
  }
  return statuses;
}

const deliver = async (orderId: string) => {
  const shipments = await shipmentsOf(orderId);
  const steps = (['picked', 'packed', 'shipped', 'delivered'] as const).flatMap((type) =>
    shipments.map((shipment) => [shipment, type] as [typeof shipment, ShipmentStep]),
  );
  return walk(orderId, steps);
};

/** What a refused call answered (status, code, details). */
async function refusal(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { status: number; code: string; details?: unknown } | undefined;
  if (!error) throw new Error('expected a refusal, got an answer');
  return {
    status: error.status,
    code: error.code,
    ...(error.details ? { details: error.details } : {}),
  };
}

const publishedFor = (orderId: string, type: string) =>
  published.filter((event) => event.orderId === orderId && event.type === type);

describe('a split order through the warehouses', () => {
  it('gets a shipment per warehouse, walks the statuses, captures each shipment once and publishes each transition once', async () => {
    const { orderId, skus, view } = await splitOrder();

    const shipments = await shipmentsOf(orderId);
    expect(shipments.map((s) => [s.warehouseId, s.lines])).toEqual([
      ['us-east', [{ sku: skus[0], quantity: 2 }]],
      ['eu-west', [{ sku: skus[1], quantity: 1 }]],
    ]);
    expect(shipments.map((s) => s.amount)).toEqual([1_800, 500]);
    expect(shipments[0].amount + shipments[1].amount).toBe(view.totals.total.amount);
    expect(publishedFor(orderId, FulfillmentRequested.type)).toHaveLength(2);

    const [east, west] = shipments;
    const statuses = await walk(orderId, [
      [east, 'picked'],
      [west, 'picked'],
      [east, 'packed'],
      [west, 'packed'],
      [east, 'shipped'],
      [west, 'shipped'],
      [east, 'delivered'],
      [west, 'delivered'],
    ]);

    expect(statuses.filter((status, i) => status !== statuses[i - 1])).toEqual([
      'fulfilling',
      'picked',
      'packed',
      'partially_shipped',
      'shipped',
      'partially_delivered',
      'delivered',
    ]);
    expect((await stateOf(orderId)).status).toBe('delivered');
    expect(await ledgerOf(orderId)).toEqual(['capture:1800', 'capture:500']);
    expect(countOf(await eventTypes(orderId), 'payment_captured')).toBe(2);
    expect(publishedFor(orderId, OrderShipped.type).map((e) => e.shipmentId)).toEqual([
      east.shipmentId,
      west.shipmentId,
    ]);
    expect(publishedFor(orderId, OrderDelivered.type).map((e) => e.shipmentId)).toEqual([
      east.shipmentId,
      west.shipmentId,
    ]);
    expect(publishedFor(orderId, FulfillmentRequested.type)).toHaveLength(2);
  });
});

describe('LifecycleService.recordWarehouseEvent', () => {
  it('records an event sent ten times at once once, and answers all ten the same', async () => {
    const { orderId } = await splitOrder();
    const [east] = await shipmentsOf(orderId);
    const occurredAt = new Date(now()).toISOString();

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => warehouseEvent(orderId, east, 'picked', { occurredAt })),
    );

    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toMatchObject({ shipmentId: east.shipmentId, shipmentStatus: 'picked' });
    expect(countOf(await eventTypes(orderId), 'shipment_picked')).toBe(1);
  });

  it('refuses a reused event id with another body, an unknown or another warehouse’s shipment, and a time in the future, changing nothing', async () => {
    const { orderId } = await splitOrder();
    const [east, west] = await shipmentsOf(orderId);
    await warehouseEvent(orderId, east, 'picked');
    await bus.drain();
    const version = (await stateOf(orderId)).version;
    /** What a refused event answered, once the bus is idle and the order checked unchanged. */
    const refused = async (sent: Promise<unknown>) => {
      const answer = await refusal(sent);
      await bus.drain();
      expect((await stateOf(orderId)).version).toBe(version);
      return answer;
    };

    expect(
      await refused(
        warehouseEvent(orderId, east, 'packed', { eventId: `${east.shipmentId}-picked` }),
      ),
    ).toMatchObject({ status: 422, code: 'EVENT_ID_REUSED' });
    expect(
      await refused(warehouseEvent(orderId, { ...east, shipmentId: 'shp_unknown' }, 'picked')),
    ).toMatchObject({ status: 404, code: 'SHIPMENT_NOT_FOUND' });
    expect(
      await refused(warehouseEvent(orderId, { ...west, warehouseId: 'us-east' }, 'picked')),
    ).toMatchObject({ status: 404, code: 'SHIPMENT_NOT_FOUND' });
    expect(
      await refused(
        warehouseEvent(orderId, west, 'picked', {
          occurredAt: new Date(now() + HOUR_MS).toISOString(),
        }),
      ),
    ).toMatchObject({ status: 400, code: 'OCCURRED_AT_IN_FUTURE' });
    expect(countOf(await eventTypes(orderId), 'shipment_picked')).toBe(1);
  });
});

describe('LifecycleService.cancel', () => {
  it('cancels an unshipped order whole: every line restocked in its warehouse, the payment voided, the coupon released', async () => {
    const { orderId, customerId, skus } = await splitOrder({ coupons: ['SAVE10'] });

    const view = await lifecycle.cancel({
      orderId,
      customerId,
      actor: { kind: 'customer', id: customerId },
    });
    await bus.drain();

    expect(view.status).toBe('cancelled');
    expect((await stateOf(orderId)).status).toBe('cancelled');
    const restocks = shop.callsOf(RestockStock).filter((c) => skus.includes(c.sku as string));
    expect(restocks.map((c) => [c.sku, c.warehouseId, c.quantity])).toEqual(
      expect.arrayContaining([
        [skus[0], 'us-east', 2],
        [skus[1], 'eu-west', 1],
      ]),
    );
    expect(restocks).toHaveLength(2);
    expect(shop.availableOf(skus[0])).toBe(10);
    expect(await ledgerOf(orderId)).toEqual(['void:0']);
    expect(shop.callsOf(ReleaseCoupon).filter((c) => c.orderId === orderId)).toHaveLength(1);
    expect(shop.redemptions.has(`SAVE10|${orderId}`)).toBe(false);
  });

  it('after one of two shipments shipped cancels only the other: the shipped one is captured, then the rest released', async () => {
    const { orderId, customerId, skus } = await splitOrder();
    const [east, west] = await shipmentsOf(orderId);
    await walk(orderId, [[east, 'shipped']]);

    const view = await lifecycle.cancel({
      orderId,
      customerId,
      actor: { kind: 'customer', id: customerId },
    });
    await bus.drain();

    expect(view.status).toBe('shipped');
    const after = await shipmentsOf(orderId);
    expect(after.map((s) => [s.shipmentId, s.status])).toEqual([
      [east.shipmentId, 'shipped'],
      [west.shipmentId, 'cancelled'],
    ]);
    expect((await stateOf(orderId)).status).toBe('shipped');
    expect(await ledgerOf(orderId)).toEqual(['capture:1800', 'void:500']);
    const restocks = shop.callsOf(RestockStock).filter((c) => skus.includes(c.sku as string));
    expect(restocks.map((c) => [c.sku, c.warehouseId, c.quantity])).toEqual([
      [skus[1], 'eu-west', 1],
    ]);
  });

  it('refuses when everything shipped (ORDER_ALREADY_SHIPPED) and another customer’s order (ORDER_NOT_FOUND)', async () => {
    const { orderId, customerId } = await splitOrder();
    const [east, west] = await shipmentsOf(orderId);
    await walk(orderId, [
      [east, 'shipped'],
      [west, 'shipped'],
    ]);

    expect(
      await refusal(
        lifecycle.cancel({ orderId, customerId, actor: { kind: 'customer', id: customerId } }),
      ),
    ).toMatchObject({
      status: 409,
      code: 'ORDER_ALREADY_SHIPPED',
      details: { shipped: [east.shipmentId, west.shipmentId] },
    });
    expect(
      await refusal(
        lifecycle.cancel({
          orderId,
          customerId: 'customer-someone-else',
          actor: { kind: 'customer', id: 'customer-someone-else' },
        }),
      ),
    ).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
  });

  it('cancels an order held for fraud review at its customer’s request, releasing its holds', async () => {
    const { orderId, customerId, view } = await splitOrder({ billingCountry: 'CA' });
    expect(view.status).toBe('on_hold');
    expect(shop.heldFor(orderId)).toHaveLength(2);

    const cancelled = await lifecycle.cancel({
      orderId,
      customerId,
      actor: { kind: 'customer', id: customerId },
    });
    await bus.drain();

    expect(cancelled.status).toBe('cancelled');
    expect(shop.heldFor(orderId)).toEqual([]);
    expect(await ledgerOf(orderId)).toEqual(['void:0']);
  });
});

describe('returns', () => {
  /** A delivered order of one line: 2 × $10 less $3 (an odd cent split), shipped from us-east. */
  async function deliveredOrder() {
    const placed = await placedOrder([
      { quantity: 2, unitPrice: 1_000, discount: 301, warehouse: 'us-east' },
    ]);
    await deliver(placed.orderId);
    return placed;
  }

  const returnOf = (
    order: { orderId: string; customerId: string; skus: string[] },
    items: { quantity: number; condition: 'resellable' | 'damaged' }[],
    idempotencyKey?: string,
  ) =>
    lifecycle.requestReturn({
      orderId: order.orderId,
      customerId: order.customerId,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      items: items.map((item) => ({ sku: order.skus[0], reason: 'not as pictured', ...item })),
    });

  const receive = (orderId: string, returnId: string) =>
    lifecycle.receiveReturn({
      orderId,
      returnId,
      caller: { kind: 'partner', id: 'key-us-east', warehouseId: 'us-east' },
    });

  it('refunds a returned damaged and resellable unit: their shares of the line, stock back in the warehouse, one refund; the order ends returned then refunded', async () => {
    const order = await deliveredOrder();
    const { orderId, skus } = order;

    const requested = await returnOf(order, [
      { quantity: 1, condition: 'damaged' },
      { quantity: 1, condition: 'resellable' },
    ]);

    // The line's net is $16.99: its two units cost 849 and 850 cents, together all of it.
    expect(requested.items.map((item) => item.refund.amount).sort()).toEqual([849, 850]);
    expect(requested.refund.amount).toBe(1_699);
    expect(requested.status).toBe('requested');

    const received = await receive(orderId, requested.returnId);
    expect(received.status).toBe('received');
    await bus.drain();

    expect(
      shop
        .callsOf(ReturnStock)
        .filter((c) => c.sku === skus[0])
        .map((c) => [c.warehouseId, c.condition]),
    ).toEqual([
      ['us-east', 'damaged'],
      ['us-east', 'resellable'],
    ]);
    expect(shop.writtenOffIn(skus[0], 'us-east')).toBe(1);
    expect(shop.availableOf(skus[0])).toBe(9);
    expect(await ledgerOf(orderId)).toEqual(['capture:1699', 'refund:1699']);
    expect(await statusesAfter(orderId, ['return_received', 'return_refunded'])).toEqual([
      'returned',
      'refunded',
    ]);

    const again = await receive(orderId, requested.returnId);
    await bus.drain();
    expect(again).toMatchObject({ returnId: requested.returnId, status: 'refunded' });
    expect(await ledgerOf(orderId)).toEqual(['capture:1699', 'refund:1699']);
  });

  it('refuses more units than were delivered, naming them', async () => {
    const order = await deliveredOrder();

    expect(await refusal(returnOf(order, [{ quantity: 3, condition: 'resellable' }]))).toEqual({
      status: 422,
      code: 'RETURN_EXCEEDS_DELIVERED',
      details: { items: [{ sku: order.skus[0], requested: 3, returnable: 2 }] },
    });
  });

  it('refuses a return after the 30-day window', async () => {
    const order = await deliveredOrder();
    time.offset = 31 * DAY_MS;

    expect(
      await refusal(returnOf(order, [{ quantity: 1, condition: 'resellable' }])),
    ).toMatchObject({ status: 422, code: 'RETURN_WINDOW_CLOSED' });
  });

  it('answers the same return for the same Idempotency-Key and items, and refuses the key with other items', async () => {
    const order = await deliveredOrder();
    const items = [{ quantity: 1, condition: 'resellable' as const }];

    const first = await returnOf(order, items, 'return-key-1');
    const second = await returnOf(order, items, 'return-key-1');

    expect(second).toEqual(first);
    expect(countOf(await eventTypes(order.orderId), 'return_requested')).toBe(1);
    expect(
      await refusal(returnOf(order, [{ quantity: 1, condition: 'damaged' }], 'return-key-1')),
    ).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });
});

describe('the sweeper’s timeouts', () => {
  it('flags a shipment not picked in time once, with an alert, until it is picked', async () => {
    const { orderId } = await splitOrder();
    const [east, west] = await shipmentsOf(orderId);
    await walk(orderId, [[west, 'picked']]);
    time.offset = (PICK_TIMEOUT_MINUTES + 1) * 60_000;

    await sweeper.sweepOnce();
    await sweeper.sweepOnce();
    await bus.drain();

    const types = await eventTypes(orderId);
    expect(countOf(types, 'attention_raised')).toBe(1);
    expect(publishedFor(orderId, OrderNeedsAttention.type)).toEqual([
      expect.objectContaining({ kind: 'pick_overdue', shipmentId: east.shipmentId }),
    ]);
    const flagged = await queries.getOrderForAdmin({ orderId });
    expect(flagged.attention).toEqual([
      expect.objectContaining({ kind: 'pick_overdue', shipmentId: east.shipmentId }),
    ]);

    await walk(orderId, [[east, 'picked']]);
    expect((await queries.getOrderForAdmin({ orderId })).attention ?? []).toEqual([]);
  });

  it('renews an authorisation about to lapse, so a capture after its first expiry succeeds', async () => {
    const { orderId } = await splitOrder();
    const first = (await stateOf(orderId)).fulfillment.paymentExpiresAt as string;
    time.offset = Date.parse(first) - Date.now() - 12 * HOUR_MS;

    await sweeper.sweepOnce();
    await bus.drain();

    const renewed = (await stateOf(orderId)).fulfillment.paymentExpiresAt as string;
    expect(countOf(await eventTypes(orderId), 'payment_reauthorized')).toBe(1);
    expect(Date.parse(renewed)).toBeGreaterThan(Date.parse(first));

    time.offset = Date.parse(first) - Date.now() + HOUR_MS;
    const [east, west] = await shipmentsOf(orderId);
    await walk(orderId, [
      [east, 'shipped'],
      [west, 'shipped'],
    ]);

    expect(await ledgerOf(orderId)).toEqual(['reauthorize:2300', 'capture:1800', 'capture:500']);
    expect((await stateOf(orderId)).status).toBe('shipped');
  });

  it('cancels the unshipped shipments when the card refuses the re-authorisation: stock back, the hold released', async () => {
    const { orderId, skus } = await splitOrder({ paymentToken: 'tok_reauth_declined' });
    const [east, west] = await shipmentsOf(orderId);
    await walk(orderId, [[east, 'shipped']]);
    const expiresAt = (await stateOf(orderId)).fulfillment.paymentExpiresAt as string;
    time.offset = Date.parse(expiresAt) - Date.now() - 12 * HOUR_MS;

    await sweeper.sweepOnce();
    await bus.drain();

    const history = await recorder.history(orderId);
    const cancelled = history.filter((event) => event.type === 'shipments_cancelled');
    expect(cancelled).toEqual([
      expect.objectContaining({
        reason: 'authorization_expired',
        data: expect.objectContaining({ shipmentIds: [west.shipmentId] }),
      }),
    ]);
    // The sweeper and the order's own consumer may both run the restock: one keyed operation.
    const restocks = shop.callsOf(RestockStock).filter((c) => skus.includes(c.sku as string));
    expect(
      new Set(restocks.map((c) => `${c.operationId}|${c.sku}|${c.warehouseId}|${c.quantity}`)),
    ).toEqual(new Set([`${orderId}:cancel:${skus[1]}|${skus[1]}|eu-west|1`]));
    expect(shop.availableOf(skus[1])).toBe(10);
    expect(await ledgerOf(orderId)).toEqual(['capture:1800', 'void:500']);
  });
});

describe('payment failures', () => {
  it('retries a failing capture, flags it once, and a later sweep captures and clears the flag', async () => {
    const { orderId } = await splitOrder();
    const [east] = await shipmentsOf(orderId);
    // Down for four tries, then back: the worker tries twice (ORDER_PAYMENT_ATTEMPTS) after the
    // event and flags it (the flag itself sets no work off); the first sweep tries twice again
    // and flags nothing new; the second sweep captures.
    const capture = jest.spyOn(payments, 'capture');
    const timers = jest.spyOn(global, 'setTimeout');
    for (let i = 0; i < 4; i += 1) capture.mockRejectedValueOnce(new Error('provider unreachable'));

    await walk(orderId, [[east, 'shipped']]);
    expect(capture).toHaveBeenCalledTimes(2);
    // Between two tries the worker waits its first backoff (200 ms).
    expect(timers).toHaveBeenCalledWith(expect.any(Function), 200);
    await sweeper.sweepOnce();
    await bus.drain();

    expect(capture).toHaveBeenCalledTimes(4);
    const types = await eventTypes(orderId);
    expect(countOf(types, 'attention_raised')).toBe(1);
    expect(countOf(types, 'payment_captured')).toBe(0);
    expect(await ledgerOf(orderId)).toEqual([]);
    expect((await queries.getOrderForAdmin({ orderId })).attention).toEqual([
      expect.objectContaining({ kind: 'payment_failed', shipmentId: east.shipmentId }),
    ]);

    await sweeper.sweepOnce();
    await bus.drain();

    expect(await ledgerOf(orderId)).toEqual(['capture:1800']);
    expect((await queries.getOrderForAdmin({ orderId })).attention ?? []).toEqual([]);
  });

  it('captures once when the process dies between the capture and its record', async () => {
    const { orderId } = await splitOrder();
    const [east] = await shipmentsOf(orderId);
    const record = recorder.record.bind(recorder);
    let crashed = false;
    jest.spyOn(recorder, 'record').mockImplementation(async (...args) => {
      const [, , drafts] = args;
      if (!crashed && drafts.some((draft) => draft.type === 'payment_captured')) {
        crashed = true;
        throw new Error('process died');
      }
      return record(...args);
    });

    await walk(orderId, [[east, 'shipped']]);
    await sweeper.sweepOnce();
    await bus.drain();

    expect(crashed).toBe(true);
    expect(countOf(await eventTypes(orderId), 'payment_captured')).toBe(1);
    expect(await ledgerOf(orderId)).toEqual(['capture:1800']);
  });
});
