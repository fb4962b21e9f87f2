import fc from 'fast-check';
import type { OrderEvent, OrderEventDraft, OrderLine, ReturnLine } from '../orders/order.events';
import { applyEvent, foldEvents, type OrderState } from '../orders/order-state';
import { OrderTransitionRefused } from '../orders/orders.exception';
import {
  deliveredUnits,
  FULFILMENT_STATUSES,
  hasShipped,
  isCancellable,
  returnedUnits,
  type ShipmentState,
} from './lifecycle-state';
import { assignShipments, pendingWork, type LifecycleWork } from './lifecycle-work';
import { lineNets, unitsCost } from './money-split';

/*
 * The must-show (issue 20): random sequences of warehouse events, cancellations and
 * returns — repeats and reorderings included — never reach an invalid state, never capture or
 * refund more than was authorised, and keep stock conserved.
 *
 * The driver is pure: commands are decided by `decide`, which MIRRORS the rules of
 * LifecycleService (recordWarehouseEvent, cancel, requestReturn, receiveReturn) without I/O —
 * the service's rules live inside its async `decide` callbacks, so they are copied here, not
 * imported. The worker is mirrored by `workEvents` (what LifecycleWorker.perform records for
 * each `pendingWork` item, the remote call always succeeding). Every event goes through
 * `applyEvent`; an accepted command whose event is refused fails the property.
 *
 * Reproduce a failure with the seed below (fast-check prints the seed and path of a failing
 * run; pass `{ seed, path }` to replay it alone).
 */
const SEED = 20_20261207;
const RUNS = 300;

const ORDER = 'order-prop';
const PAYMENT = 'pay_prop';
const WAREHOUSES = ['us-east', 'eu-west', 'ap-south'] as const;
const STEPS = ['picked', 'packed', 'shipped', 'delivered'] as const;
const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const T0 = Date.parse('2026-03-01T10:00:00.000Z');

interface LineSpec {
  quantity: number;
  unitPrice: number;
  discountPct: number;
  warehouse: number;
}
interface OrderSpec {
  lines: LineSpec[];
  orderOffPct: number;
  shipping: number;
  tax: number;
  coupons: boolean;
}

type Command =
  | { kind: 'warehouse'; shipment: number; step: number; replay: number | null; minutes: number }
  | { kind: 'cancel' }
  | { kind: 'return'; items: { sku: number; quantity: number; damaged: boolean }[] }
  | { kind: 'receive'; ret: number }
  | { kind: 'work_one' }
  | { kind: 'work_all' };

/** The model's memory besides the order: warehouse events sent, for replays. */
interface Sent {
  eventId: string;
  shipmentId: string;
  type: string;
  reportedAt: string;
}

class Driver {
  order: OrderState;
  private tick = 0;
  private sent: Sent[] = [];
  private returns = 0;

  constructor(readonly spec: OrderSpec) {
    this.order = foldEvents(checkoutEvents(spec))!;
    this.runWorker();
  }

  private now(): string {
    this.tick += 1;
    return new Date(T0 + this.tick * 1_000).toISOString();
  }

  /** Appends a draft; the rules accepted it, so a refusal here is a bug. */
  private record(draft: OrderEventDraft): void {
    const event = { ...draft, orderId: ORDER, version: this.order.version + 1 } as OrderEvent;
    this.order = applyEvent(this.order, event);
  }

  /** True when `applyEvent` refuses `draft` (the state unchanged). */
  private refuses(draft: OrderEventDraft): boolean {
    const event = { ...draft, orderId: ORDER, version: this.order.version + 1 } as OrderEvent;
    try {
      applyEvent(this.order, event);
      return false;
    } catch (error) {
      if (error instanceof OrderTransitionRefused) return true;
      throw error;
    }
  }

  private draft(type: string, data: object, reason?: string): OrderEventDraft {
    return {
      type,
      data,
      occurredAt: this.now(),
      actor: { kind: 'system', id: 'spec' },
      ...(reason === undefined ? {} : { reason }),
    } as OrderEventDraft;
  }

  run(command: Command): void {
    switch (command.kind) {
      case 'warehouse':
        return this.warehouse(command);
      case 'cancel':
        return this.cancel();
      case 'return':
        return this.requestReturn(command.items);
      case 'receive':
        return this.receive(command.ret);
      case 'work_one':
        this.workOne();
        return;
      case 'work_all':
        return this.runWorker();
    }
  }

  /** Mirrors LifecycleService.recordWarehouseEvent. */
  private warehouse(command: Extract<Command, { kind: 'warehouse' }>): void {
    const shipments = this.order.fulfillment.shipments;
    const replayed =
      command.replay === null
        ? undefined
        : this.sent[command.replay % Math.max(1, this.sent.length)];
    const sent: Sent = replayed ?? {
      eventId: `evt_${this.sent.length + 1}`,
      shipmentId: shipments[command.shipment % shipments.length].shipmentId,
      type: STEPS[command.step],
      reportedAt: new Date(T0 + command.minutes * 60_000).toISOString(),
    };
    const shipment = shipments.find((s) => s.shipmentId === sent.shipmentId)!;
    const applied = this.order.fulfillment.warehouseEvents[sent.eventId];
    const draft = this.draft(`shipment_${sent.type}`, {
      shipmentId: sent.shipmentId,
      eventId: sent.eventId,
      fingerprint: `${sent.shipmentId}|${sent.type}|${sent.reportedAt}`,
      reportedAt: sent.reportedAt,
      sender: 'partner:wh',
    });
    if (applied) {
      // A repeat answers what the first answered and records nothing; the event is refused.
      expect(applied.shipmentId).toBe(sent.shipmentId);
      expect(this.refuses(draft)).toBe(true);
      return;
    }
    if (shipment.status === 'cancelled') {
      expect(this.refuses(draft)).toBe(true);
      return;
    }
    if (!replayed) this.sent.push(sent);
    this.record(draft);
  }

  /** Mirrors LifecycleService.cancel for an order with shipments. */
  private cancel(): void {
    const shipments = this.order.fulfillment.shipments;
    const open = shipments.filter(isCancellable);
    if (open.length === 0) return;
    const whole = !shipments.some(hasShipped);
    this.record(
      this.draft(
        'shipments_cancelled',
        { shipmentIds: open.map((s) => s.shipmentId), whole, reason: 'changed_mind' },
        'changed_mind',
      ),
    );
  }

  /** Mirrors LifecycleService.requestReturn / returnLines (the return window aside). */
  private requestReturn(asked: Extract<Command, { kind: 'return' }>['items']): void {
    const order = this.order;
    const items = asked.map((item) => ({
      sku: order.lines[item.sku % order.lines.length].sku,
      quantity: item.quantity,
      reason: 'spec',
      condition: item.damaged ? ('damaged' as const) : ('resellable' as const),
    }));
    const nets = lineNets(order.lines, order.totals);
    const counted = new Map<string, number>();
    const lines: ReturnLine[] = [];
    let refused = !FULFILMENT_STATUSES.has(order.status);
    for (const item of items) {
      if (refused) break;
      const index = order.lines.findIndex((line) => line.sku === item.sku);
      const shipment = order.fulfillment.shipments.find((s) =>
        s.lines.some((line) => line.sku === item.sku),
      )!;
      const before = returnedUnits(order.fulfillment, item.sku) + (counted.get(item.sku) ?? 0);
      if (before + item.quantity > deliveredUnits(order.fulfillment, item.sku)) {
        refused = true;
        break;
      }
      const line = order.lines[index];
      const refund =
        unitsCost(nets[index], line.quantity, before + item.quantity) -
        unitsCost(nets[index], line.quantity, before);
      counted.set(item.sku, (counted.get(item.sku) ?? 0) + item.quantity);
      lines.push({
        ...item,
        shipmentId: shipment.shipmentId,
        warehouseId: shipment.warehouseId,
        refund: usd(refund),
      });
    }
    this.returns += 1;
    const returnId = `ret_${this.returns}`;
    if (refused) {
      // What the service refuses, the state refuses too (the whole ask, unpriced).
      const unpriced = items.map((item) => ({
        ...item,
        shipmentId: order.fulfillment.shipments[0].shipmentId,
        warehouseId: order.fulfillment.shipments[0].warehouseId,
        refund: usd(0),
      }));
      const draft = this.draft('return_requested', {
        returnId,
        requestHash: returnId,
        items: unpriced,
        refund: usd(0),
      });
      const merged = new Map<string, number>();
      for (const item of items) merged.set(item.sku, (merged.get(item.sku) ?? 0) + item.quantity);
      const exceeds = [...merged].some(
        ([sku, n]) =>
          returnedUnits(order.fulfillment, sku) + n > deliveredUnits(order.fulfillment, sku),
      );
      expect(exceeds).toBe(true);
      expect(this.refuses(draft)).toBe(true);
      return;
    }
    const refund = lines.reduce((sum, line) => sum + line.refund.amount, 0);
    this.record(
      this.draft('return_requested', {
        returnId,
        requestHash: returnId,
        items: lines,
        refund: usd(refund),
      }),
    );
  }

  /** Mirrors LifecycleService.receiveReturn. */
  private receive(index: number): void {
    const returns = this.order.fulfillment.returns;
    if (returns.length === 0) return;
    const found = returns[index % returns.length];
    if (found.status !== 'requested') return;
    this.record(this.draft('return_received', { returnId: found.returnId }));
  }

  /** One round of LifecycleWorker.advance: the first pending item, recorded. */
  workOne(): boolean {
    const next = pendingWork(this.order)[0];
    if (!next) return false;
    for (const draft of this.workEvents(next)) this.record(draft);
    return true;
  }

  runWorker(): void {
    for (let round = 0; round < 100; round += 1) if (!this.workOne()) return;
    throw new Error(`work left after 100 rounds: ${JSON.stringify(pendingWork(this.order))}`);
  }

  /** What LifecycleWorker.perform records for `work` when its remote call succeeds. */
  private workEvents(work: LifecycleWork): OrderEventDraft[] {
    const order = this.order;
    switch (work.kind) {
      case 'assign':
        return [this.draft('fulfillment_assigned', { shipments: assignShipments(order) })];
      case 'capture':
        return [
          this.draft('payment_captured', {
            paymentId: PAYMENT,
            shipmentId: work.shipmentId,
            amount: usd(work.amount),
          }),
        ];
      case 'restock_shipment':
        return [this.draft('shipment_restocked', { shipmentId: work.shipmentId })];
      case 'void':
        return [this.draft('payment_voided', { paymentId: PAYMENT, reason: 'order_cancelled' })];
      case 'release_remainder':
        return [
          this.draft('authorization_released', { paymentId: PAYMENT, amount: usd(work.amount) }),
        ];
      case 'release_coupons':
        return [
          this.draft('coupons_released', { codes: [...order.coupons], reason: 'order_cancelled' }),
        ];
      case 'return_stock':
        return [this.draft('return_restocked', { returnId: work.returnId })];
      case 'refund':
        return [
          this.draft('return_refunded', {
            returnId: work.returnId,
            paymentId: PAYMENT,
            amount: usd(work.amount),
          }),
        ];
    }
  }
}

/** placed → stock_reserved → payment_authorized → confirmed → stock_committed → cart_cleared. */
function checkoutEvents(spec: OrderSpec): OrderEvent[] {
  const lines: OrderLine[] = spec.lines.map((line, i) => {
    const gross = line.quantity * line.unitPrice;
    const discount = Math.floor((gross * line.discountPct) / 100);
    return {
      sku: `SKU-${i + 1}`,
      productId: `product-${i + 1}`,
      quantity: line.quantity,
      unitPrice: usd(line.unitPrice),
      discount: usd(discount),
      lineTotal: usd(gross - discount),
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice.amount, 0);
  const lineSum = lines.reduce((sum, line) => sum + line.lineTotal.amount, 0);
  const orderOff = Math.floor((lineSum * spec.orderOffPct) / 100);
  const total = lineSum - orderOff + spec.shipping + spec.tax;
  const at = (version: number) => new Date(T0 - 60_000 + version * 1_000).toISOString();
  const base = (version: number) => ({
    orderId: ORDER,
    version,
    occurredAt: at(version),
    actor: { kind: 'system' as const, id: 'checkout' },
  });
  return [
    {
      ...base(1),
      type: 'placed',
      data: {
        customerId: 'customer-1',
        region: 'us',
        currency: 'USD',
        lines,
        totals: {
          subtotal: usd(subtotal),
          discount: usd(subtotal - lineSum + orderOff),
          shipping: usd(spec.shipping),
          tax: usd(spec.tax),
          total: usd(total),
        },
        shippingAddress: {
          name: 'Ada',
          line1: '1 Main St',
          city: 'Springfield',
          postalCode: '12345',
          country: 'US',
        },
        paymentId: PAYMENT,
        coupons: spec.coupons ? ['SAVE10'] : [],
      },
    },
    {
      ...base(2),
      type: 'stock_reserved',
      data: {
        reservations: lines.map((line, i) => ({
          reservationId: `${ORDER}:${line.sku}`,
          sku: line.sku,
          quantity: line.quantity,
          warehouseId: WAREHOUSES[spec.lines[i].warehouse],
        })),
      },
    },
    {
      ...base(3),
      type: 'payment_authorized',
      data: { paymentId: PAYMENT, amount: usd(total) },
    },
    { ...base(4), type: 'confirmed', data: {} },
    {
      ...base(5),
      type: 'stock_committed',
      data: { reservationIds: lines.map((line) => `${ORDER}:${line.sku}`) },
    },
    { ...base(6), type: 'cart_cleared', data: {} },
  ];
}

const units = (shipments: readonly ShipmentState[]) =>
  shipments.flatMap((s) => s.lines).reduce((sum, line) => sum + line.quantity, 0);

/** What must hold after every step. */
function assertInvariants(order: OrderState): void {
  const f = order.fulfillment;
  const { authorized, captured, refunded, released } = f.money;
  expect(captured).toBeGreaterThanOrEqual(0);
  expect(released).toBeGreaterThanOrEqual(0);
  expect(captured).toBeLessThanOrEqual(authorized - released);
  expect(refunded).toBeLessThanOrEqual(captured);
  expect(captured).toBe(f.shipments.filter((s) => s.captured).reduce((n, s) => n + s.amount, 0));
  expect(refunded).toBe(
    f.returns.filter((r) => r.status === 'refunded').reduce((n, r) => n + r.refund, 0),
  );
  for (const shipment of f.shipments) {
    if (shipment.captured) expect(hasShipped(shipment)).toBe(true);
    if (shipment.restocked) expect(shipment.status).toBe('cancelled');
    expect(shipment.shippedAt !== undefined).toBe(hasShipped(shipment));
    expect(shipment.deliveredAt !== undefined).toBe(shipment.status === 'delivered');
  }
  for (const line of order.lines) {
    expect(returnedUnits(f, line.sku)).toBeLessThanOrEqual(deliveredUnits(f, line.sku));
  }

  const active = f.shipments.filter((s) => s.status !== 'cancelled');
  const shipped = active.filter(hasShipped).length;
  const delivered = active.filter((s) => s.status === 'delivered').length;
  const status = order.status;
  expect(status === 'cancelled').toBe(active.length === 0);
  if (active.length === 0) return;
  const afterDelivery = ['delivered', 'returned', 'refunded'].includes(status);
  expect(afterDelivery).toBe(delivered === active.length);
  if (status === 'partially_delivered') expect(delivered).toBeGreaterThan(0);
  if (status === 'shipped') expect(shipped).toBe(active.length);
  if (status === 'partially_shipped') {
    expect(shipped).toBeGreaterThan(0);
    expect(shipped).toBeLessThan(active.length);
  }
  if (['fulfilling', 'picked', 'packed'].includes(status)) expect(shipped).toBe(0);
  if (status === 'returned' || status === 'refunded') {
    const back = f.returns.filter((r) => r.status !== 'requested');
    expect(back.flatMap((r) => r.items).reduce((n, i) => n + i.quantity, 0)).toBe(units(active));
  }
}

/**
 * Stock: every unit ordered is sold (shipped and not returned), on its way back (a cancelled
 * shipment not restocked yet: only before quiescence), back in stock, or written off. Units of
 * a requested return are still the customer's.
 */
function stockBuckets(order: OrderState) {
  const f = order.fulfillment;
  const backHome = f.returns.filter((r) => r.restocked).flatMap((r) => r.items);
  const cancelled = f.shipments.filter((s) => s.status === 'cancelled');
  const received = f.returns
    .filter((r) => r.status !== 'requested')
    .flatMap((r) => r.items)
    .reduce((n, i) => n + i.quantity, 0);
  return {
    ordered: order.lines.reduce((n, line) => n + line.quantity, 0),
    sold: units(f.shipments.filter(hasShipped)) - received,
    awaitingShipment: units(f.shipments.filter(isCancellable)),
    inTransit:
      units(cancelled.filter((s) => !s.restocked)) +
      f.returns
        .filter((r) => r.status !== 'requested' && !r.restocked)
        .flatMap((r) => r.items)
        .reduce((n, i) => n + i.quantity, 0),
    backInStock:
      units(cancelled.filter((s) => s.restocked)) +
      backHome.filter((i) => i.condition === 'resellable').reduce((n, i) => n + i.quantity, 0),
    writtenOff: backHome
      .filter((i) => i.condition === 'damaged')
      .reduce((n, i) => n + i.quantity, 0),
  };
}

function assertStockConserved(order: OrderState, quiescent: boolean): void {
  const b = stockBuckets(order);
  expect(b.sold + b.awaitingShipment + b.inTransit + b.backInStock + b.writtenOff).toBe(b.ordered);
  if (quiescent) expect(b.inTransit).toBe(0);
}

/** With the worker quiet: what moved on the card matches what the customer keeps. */
function assertSettled(order: OrderState, spec: OrderSpec): void {
  const f = order.fulfillment;
  const { authorized, captured, refunded, released } = f.money;
  expect(pendingWork(order)).toEqual([]);
  const active = f.shipments.filter((s) => s.status !== 'cancelled');
  if (active.length === 0) {
    expect(captured).toBe(0);
    expect(released).toBe(authorized);
    // A free order holds nothing, so there is nothing to void.
    if (authorized > 0) expect(order.progress.payment?.status).toBe('voided');
    expect(order.progress.couponsReleased).toBe(spec.coupons);
  } else {
    expect(order.progress.couponsReleased).toBe(false);
  }
  const cancelledSome = f.shipments.some((s) => s.status === 'cancelled');
  const allSettled = active.every((s) => hasShipped(s) && (s.captured || s.amount === 0));
  if (cancelledSome && allSettled) expect(authorized - captured - released).toBe(0);
  // A unit's price follows the order returns were asked in, not received in (the line's
  // remainder rides on its last unit asked for), so "kept" is exact once none is pending.
  const pending = f.returns.some((r) => r.status === 'requested');
  if (!allSettled || pending) return;
  // Every shipment settled: captured − refunded is the net of the kept units.
  const nets = lineNets(order.lines, order.totals);
  const extras = order.totals.shipping.amount + order.totals.tax.amount;
  let kept = f.shipments[0].status === 'cancelled' ? 0 : extras;
  order.lines.forEach((line, i) => {
    if (!active.some((s) => s.lines.some((l) => l.sku === line.sku))) return;
    const back = f.returns
      .filter((r) => r.status === 'refunded')
      .flatMap((r) => r.items)
      .filter((item) => item.sku === line.sku)
      .reduce((n, item) => n + item.quantity, 0);
    kept += nets[i] - unitsCost(nets[i], line.quantity, back);
  });
  expect(captured - refunded).toBe(kept);
}

/*
 * Any line totals, free lines included: small and free lines are where the order-level
 * discount's rounding once made a net negative (the case pinned below).
 */
const orderSpec: fc.Arbitrary<OrderSpec> = fc.record({
  lines: fc.array(
    fc.record({
      quantity: fc.integer({ min: 1, max: 4 }),
      unitPrice: fc.integer({ min: 1, max: 5_000 }),
      discountPct: fc.integer({ min: 0, max: 100 }),
      warehouse: fc.integer({ min: 0, max: 2 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  orderOffPct: fc.integer({ min: 0, max: 50 }),
  shipping: fc.integer({ min: 0, max: 1_000 }),
  tax: fc.integer({ min: 0, max: 500 }),
  coupons: fc.boolean(),
});

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('warehouse' as const),
      shipment: fc.nat(),
      // Delivered more often, so that returns have something to return.
      step: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(3)),
      replay: fc.option(fc.nat(), { freq: 4 }),
      minutes: fc.integer({ min: 0, max: 10_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancel' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('return' as const),
      items: fc.array(
        fc.record({
          sku: fc.nat(),
          quantity: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3 })),
          damaged: fc.boolean(),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('receive' as const), ret: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'work_one' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'work_all' as const }) },
);

describe('the order lifecycle under random commands (property)', () => {
  it('never reaches an invalid state, never moves more money than authorised, and conserves stock', () => {
    fc.assert(
      fc.property(
        orderSpec,
        fc.array(command, { maxLength: 30, size: 'large' }),
        (spec, commands) => {
          const driver = new Driver(spec);
          expect(driver.order.fulfillment.shipments.length).toBeGreaterThan(0);
          assertInvariants(driver.order);
          for (const next of commands) {
            driver.run(next);
            assertInvariants(driver.order);
            assertStockConserved(driver.order, false);
          }
          driver.runWorker();
          assertInvariants(driver.order);
          assertStockConserved(driver.order, true);
          assertSettled(driver.order, spec);
          // Every return in: the money of the units kept is exact.
          driver.order.fulfillment.returns.forEach((_, i) =>
            driver.run({ kind: 'receive', ret: i }),
          );
          driver.runWorker();
          assertInvariants(driver.order);
          assertStockConserved(driver.order, true);
          assertSettled(driver.order, spec);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('settles a fully delivered, fully returned order to nothing kept (property)', () => {
    fc.assert(
      fc.property(orderSpec, fc.boolean(), (spec, damaged) => {
        const driver = new Driver(spec);
        const shipments = driver.order.fulfillment.shipments;
        shipments.forEach((_, i) =>
          driver.run({ kind: 'warehouse', shipment: i, step: 3, replay: null, minutes: 1 }),
        );
        driver.run({
          kind: 'return',
          items: spec.lines.map((line, i) => ({ sku: i, quantity: line.quantity, damaged })),
        });
        driver.run({ kind: 'receive', ret: 0 });
        driver.runWorker();

        const extras = spec.shipping + spec.tax;
        const { captured, refunded } = driver.order.fulfillment.money;
        expect(driver.order.status).toBe('refunded');
        expect(captured - refunded).toBe(extras);
        assertSettled(driver.order, spec);
        assertStockConserved(driver.order, true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  /*
   * Found by this property (fixed in money-split.ts): the order-level discount's rounding
   * remainder once went to the last line even past its total. Line totals 1, 1 and 0 (the free
   * one from another warehouse), 1 off the order, total 1 made nets 1, 1, −1: the us-east
   * shipment's amount was 2, more than authorised, and its capture was refused.
   */
  it('captures a shipped shipment of an order whose free line ships apart', () => {
    const driver = new Driver({
      lines: [
        { quantity: 1, unitPrice: 1, discountPct: 0, warehouse: 0 },
        { quantity: 1, unitPrice: 1, discountPct: 0, warehouse: 0 },
        { quantity: 1, unitPrice: 0, discountPct: 0, warehouse: 1 },
      ],
      orderOffPct: 50,
      shipping: 0,
      tax: 0,
      coupons: false,
    });
    expect(driver.order.totals.total.amount).toBe(1);

    driver.run({ kind: 'warehouse', shipment: 0, step: 2, replay: null, minutes: 1 });
    driver.runWorker();

    expect(driver.order.fulfillment.money.captured).toBe(1);
  });
});
