import type { OrderEvent, OrderEventDraft } from '../orders/order.events';
import { applyEvent, foldEvents, type OrderState } from '../orders/order-state';
import { OrderTransitionRefused } from '../orders/orders.exception';
import { findShipment } from './lifecycle-state';
import { assignShipments, pendingWork } from './lifecycle-work';

const ORDER = 'order-1';
const PAYMENT = 'pay_1';
const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

/**
 * A confirmed order of SKU-1 (2 × 9.00 from us-east) and SKU-2 (1 × 5.00 from eu-west), 23.00
 * authorised, with `coupons`; its shipments assigned as the worker assigns them.
 */
function assigned(coupons: string[] = []): OrderState {
  const base = (version: number) => ({
    orderId: ORDER,
    version,
    occurredAt: at(version - 10),
    actor: { kind: 'system' as const, id: 'checkout' },
  });
  const line = (sku: string, quantity: number, price: number) => ({
    sku,
    productId: `product-${sku}`,
    quantity,
    unitPrice: usd(price),
    discount: usd(0),
    lineTotal: usd(price * quantity),
  });
  const events: OrderEvent[] = [
    {
      ...base(1),
      type: 'placed',
      data: {
        customerId: 'customer-1',
        region: 'us',
        currency: 'USD',
        lines: [line('SKU-1', 2, 900), line('SKU-2', 1, 500)],
        totals: {
          subtotal: usd(2_300),
          discount: usd(0),
          shipping: usd(0),
          tax: usd(0),
          total: usd(2_300),
        },
        shippingAddress: {
          name: 'Ada',
          line1: '1 Main St',
          city: 'Springfield',
          postalCode: '12345',
          country: 'US',
        },
        paymentId: PAYMENT,
        coupons,
      },
    },
    {
      ...base(2),
      type: 'stock_reserved',
      data: {
        reservations: [
          { reservationId: `${ORDER}:SKU-1`, sku: 'SKU-1', quantity: 2, warehouseId: 'us-east' },
          { reservationId: `${ORDER}:SKU-2`, sku: 'SKU-2', quantity: 1, warehouseId: 'eu-west' },
        ],
      },
    },
    { ...base(3), type: 'payment_authorized', data: { paymentId: PAYMENT, amount: usd(2_300) } },
    { ...base(4), type: 'confirmed', data: {} },
    {
      ...base(5),
      type: 'stock_committed',
      data: { reservationIds: [`${ORDER}:SKU-1`, `${ORDER}:SKU-2`] },
    },
    { ...base(6), type: 'cart_cleared', data: {} },
  ];
  const confirmed = foldEvents(events)!;
  return then(confirmed, 'fulfillment_assigned', { shipments: assignShipments(confirmed) });
}

/** The order after one more event of `type` with `data`. */
function then(state: OrderState, type: string, data: object, minute = state.version): OrderState {
  const draft = { type, data, occurredAt: at(minute), actor: { kind: 'system', id: 'spec' } };
  return applyEvent(state, {
    ...(draft as OrderEventDraft),
    orderId: ORDER,
    version: state.version + 1,
  } as OrderEvent);
}

const refuses = (state: OrderState, type: string, data: object) =>
  expect(() => then(state, type, data)).toThrow(OrderTransitionRefused);

/** Shipment 0 ships SKU-1 (18.00, us-east), shipment 1 SKU-2 (5.00, eu-west). */
const idOf = (state: OrderState, index: number) => state.fulfillment.shipments[index].shipmentId;

let eventCount = 0;
function step(state: OrderState, index: number, kind: string, minute = 30): OrderState {
  eventCount += 1;
  return then(state, `shipment_${kind}`, {
    shipmentId: idOf(state, index),
    eventId: `evt_${eventCount}`,
    fingerprint: `fp_${eventCount}`,
    reportedAt: at(minute),
    sender: 'partner:wh',
  });
}
const through = (state: OrderState, index: number, ...kinds: string[]) =>
  kinds.reduce((s, kind) => step(s, index, kind), state);
const both = (state: OrderState, ...kinds: string[]) =>
  through(through(state, 0, ...kinds), 1, ...kinds);

const capture = (state: OrderState, index: number) =>
  then(state, 'payment_captured', {
    paymentId: PAYMENT,
    shipmentId: idOf(state, index),
    amount: usd(state.fulfillment.shipments[index].amount),
  });

const returnOf = (state: OrderState, returnId: string, quantity: number, refund: number) =>
  then(state, 'return_requested', {
    returnId,
    requestHash: returnId,
    items: [
      {
        sku: 'SKU-1',
        quantity,
        reason: 'too small',
        condition: 'resellable',
        shipmentId: idOf(state, 0),
        warehouseId: 'us-east',
        refund: usd(refund),
      },
    ],
    refund: usd(refund),
  });

const cancelOpen = (state: OrderState, whole: boolean, ...indexes: number[]) =>
  then(state, 'shipments_cancelled', {
    shipmentIds: indexes.map((i) => idOf(state, i)),
    whole,
    reason: 'changed_mind',
  });

describe('the order status as its shipments make it', () => {
  it('follows the slowest shipment, partially where some went further', () => {
    let order = assigned();
    expect(order.fulfillment.shipments.map((s) => [s.warehouseId, s.amount])).toEqual([
      ['us-east', 1_800],
      ['eu-west', 500],
    ]);
    expect(order.status).toBe('fulfilling');

    const statuses: string[] = [];
    for (const [index, kind] of [
      [0, 'picked'],
      [1, 'picked'],
      [0, 'packed'],
      [1, 'packed'],
      [0, 'shipped'],
      [1, 'shipped'],
      [0, 'delivered'],
      [1, 'delivered'],
    ] as const) {
      order = step(order, index, kind);
      statuses.push(order.status);
    }

    expect(statuses).toEqual([
      'fulfilling',
      'picked',
      'picked',
      'packed',
      'partially_shipped',
      'shipped',
      'partially_delivered',
      'delivered',
    ]);
  });

  it('is returned once every delivered unit is back, and refunded once every return is refunded', () => {
    let order = both(assigned(), 'delivered');
    order = capture(capture(order, 0), 1);
    order = returnOf(order, 'ret_1', 2, 1_800);
    expect(order.status).toBe('delivered');
    order = then(order, 'return_received', { returnId: 'ret_1' });
    expect(order.status).toBe('delivered');

    order = then(order, 'return_requested', {
      returnId: 'ret_2',
      requestHash: 'ret_2',
      items: [
        {
          sku: 'SKU-2',
          quantity: 1,
          reason: 'broken',
          condition: 'damaged',
          shipmentId: idOf(order, 1),
          warehouseId: 'eu-west',
          refund: usd(500),
        },
      ],
      refund: usd(500),
    });
    order = then(order, 'return_received', { returnId: 'ret_2' });
    expect(order.status).toBe('returned');

    order = then(order, 'return_refunded', { returnId: 'ret_1', amount: usd(1_800) });
    expect(order.status).toBe('returned');
    order = then(order, 'return_refunded', { returnId: 'ret_2', amount: usd(500) });
    expect(order.status).toBe('refunded');
    expect(order.fulfillment.money).toMatchObject({ captured: 2_300, refunded: 2_300 });
  });

  it('is cancelled, with the reason, once every shipment is cancelled', () => {
    const order = cancelOpen(assigned(), true, 0, 1);

    expect(order.status).toBe('cancelled');
    expect(order.reason).toBe('changed_mind');
  });

  it('leaves out a cancelled shipment: the rest name the status', () => {
    let order = step(assigned(), 0, 'shipped');
    order = cancelOpen(order, false, 1);
    expect(order.status).toBe('shipped');

    expect(step(order, 0, 'delivered').status).toBe('delivered');
  });
});

describe('warehouse steps out of order', () => {
  it('takes delivered before shipped as shipped too, at the delivery time', () => {
    const order = step(assigned(), 0, 'delivered', 42);
    const shipment = order.fulfillment.shipments[0];

    expect(shipment.status).toBe('delivered');
    expect(shipment.shippedAt).toBe(at(42));
    expect(shipment.deliveredAt).toBe(at(42));
    expect(order.status).toBe('partially_delivered');
  });

  it('records a late picked and changes nothing', () => {
    const shipped = step(assigned(), 0, 'shipped', 40);
    const late = step(shipped, 0, 'picked', 10);

    expect(late.fulfillment.shipments).toEqual(shipped.fulfillment.shipments);
    expect(late.status).toBe(shipped.status);
    expect(Object.values(late.fulfillment.warehouseEvents).at(-1)).toMatchObject({
      shipmentStatus: 'shipped',
      orderStatus: 'partially_shipped',
    });
  });

  it('refuses a repeated event id (the service answers it from the first)', () => {
    const order = step(assigned(), 0, 'picked');
    const [eventId] = Object.keys(order.fulfillment.warehouseEvents);

    refuses(order, 'shipment_packed', {
      shipmentId: idOf(order, 0),
      eventId,
      fingerprint: 'fp_other',
      reportedAt: at(50),
      sender: 'partner:wh',
    });
  });
});

describe('refusals', () => {
  it('refuses a warehouse step for a cancelled shipment', () => {
    const order = cancelOpen(assigned(), true, 0, 1);

    expect(() => step(order, 0, 'picked')).toThrow(OrderTransitionRefused);
  });

  it('refuses a second capture of a shipment, and a capture of one not shipped', () => {
    const shipped = step(assigned(), 0, 'shipped');

    expect(() => capture(capture(shipped, 0), 0)).toThrow(OrderTransitionRefused);
    expect(() => capture(shipped, 1)).toThrow(OrderTransitionRefused);
  });

  it('refuses a capture of another amount than the shipment', () => {
    const shipped = step(assigned(), 0, 'shipped');

    refuses(shipped, 'payment_captured', {
      paymentId: PAYMENT,
      shipmentId: idOf(shipped, 0),
      amount: usd(1_799),
    });
  });

  it('refuses a return of more units than were delivered', () => {
    const delivered = step(assigned(), 0, 'delivered');

    expect(() => returnOf(delivered, 'ret_1', 3, 2_700)).toThrow(OrderTransitionRefused);
    expect(() => returnOf(returnOf(delivered, 'ret_1', 2, 1_800), 'ret_2', 1, 900)).toThrow(
      OrderTransitionRefused,
    );
    expect(() => returnOf(step(assigned(), 0, 'shipped'), 'ret_1', 1, 900)).toThrow(
      OrderTransitionRefused,
    );
  });

  it('refuses a refund above what was captured', () => {
    let order = step(assigned(), 0, 'delivered');
    order = then(returnOf(order, 'ret_1', 1, 900), 'return_received', { returnId: 'ret_1' });

    refuses(order, 'return_refunded', { returnId: 'ret_1', amount: usd(900) });
    expect(
      then(capture(order, 0), 'return_refunded', { returnId: 'ret_1', amount: usd(900) })
        .fulfillment.money.refunded,
    ).toBe(900);
  });

  it('refuses a cancellation whose whole flag does not match what it leaves', () => {
    const order = assigned();

    refuses(order, 'shipments_cancelled', {
      shipmentIds: [idOf(order, 0)],
      whole: true,
      reason: 'changed_mind',
    });
    refuses(order, 'shipments_cancelled', {
      shipmentIds: [idOf(order, 0), idOf(order, 1)],
      whole: false,
      reason: 'changed_mind',
    });
  });
});

describe('pendingWork', () => {
  it('captures a shipment once it ships, and not again', () => {
    const shipped = step(assigned(), 0, 'shipped');

    expect(pendingWork(shipped)).toEqual([
      { kind: 'capture', shipmentId: idOf(shipped, 0), amount: 1_800 },
    ]);
    expect(pendingWork(capture(shipped, 0))).toEqual([]);
  });

  it('restocks cancelled shipments and voids the payment when the whole order goes', () => {
    const order = cancelOpen(assigned(), true, 0, 1);

    expect(pendingWork(order)).toEqual([
      { kind: 'restock_shipment', shipmentId: idOf(order, 0) },
      { kind: 'restock_shipment', shipmentId: idOf(order, 1) },
      { kind: 'void', paymentId: PAYMENT },
    ]);
    const voided = then(order, 'payment_voided', { paymentId: PAYMENT, reason: 'order_cancelled' });
    expect(voided.fulfillment.money.released).toBe(2_300);
    expect(pendingWork(voided).map((w) => w.kind)).toEqual([
      'restock_shipment',
      'restock_shipment',
    ]);
  });

  it('releases the remainder, not a void, only once every other shipment is captured', () => {
    let order = cancelOpen(step(assigned(), 0, 'shipped'), false, 1);

    expect(pendingWork(order)).toEqual([
      { kind: 'capture', shipmentId: idOf(order, 0), amount: 1_800 },
      { kind: 'restock_shipment', shipmentId: idOf(order, 1) },
    ]);
    order = capture(order, 0);
    expect(pendingWork(order)).toEqual([
      { kind: 'restock_shipment', shipmentId: idOf(order, 1) },
      { kind: 'release_remainder', paymentId: PAYMENT, amount: 500 },
    ]);
    order = then(order, 'authorization_released', { paymentId: PAYMENT, amount: usd(500) });
    order = then(order, 'shipment_restocked', { shipmentId: idOf(order, 1) });
    expect(pendingWork(order)).toEqual([]);
    expect(order.fulfillment.money).toMatchObject({ captured: 1_800, released: 500 });
  });

  it('gives coupons back only when the whole order is cancelled', () => {
    const whole = cancelOpen(assigned(['SAVE10']), true, 0, 1);
    const partial = cancelOpen(step(assigned(['SAVE10']), 0, 'shipped'), false, 1);

    expect(pendingWork(whole)).toContainEqual({ kind: 'release_coupons' });
    expect(pendingWork(partial)).not.toContainEqual({ kind: 'release_coupons' });
    expect(
      pendingWork(then(whole, 'coupons_released', { codes: ['SAVE10'], reason: 'x' })),
    ).not.toContainEqual({ kind: 'release_coupons' });
  });

  it('returns the stock and refunds a return once it is received, each once', () => {
    let order = capture(step(assigned(), 0, 'delivered'), 0);
    order = returnOf(order, 'ret_1', 1, 900);
    expect(pendingWork(order)).toEqual([]);

    order = then(order, 'return_received', { returnId: 'ret_1' });
    expect(pendingWork(order)).toEqual([
      { kind: 'return_stock', returnId: 'ret_1' },
      { kind: 'refund', returnId: 'ret_1', amount: 900 },
    ]);
    order = then(order, 'return_restocked', { returnId: 'ret_1' });
    order = then(order, 'return_refunded', { returnId: 'ret_1', amount: usd(900) });
    expect(pendingWork(order)).toEqual([]);
    expect(findShipment(order.fulfillment, idOf(order, 0))?.status).toBe('delivered');
  });
});
