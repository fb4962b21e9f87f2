import { createHash } from 'node:crypto';
import { REGION_WAREHOUSES, type WarehouseId } from '@mercato/contracts';
import type { OrderState } from '../orders/order-state';
import type { AssignedShipment } from '../orders/order.events';
import { hasShipped, type ShipmentState } from './lifecycle-state';
import { lineNets, moneyOf } from './money-split';

/**
 * What an order's lifecycle still owes the outside world (pure): each item is one idempotent
 * remote call followed by the event that records it. The worker runs them after every change,
 * and the sweeper again later, so a process that dies between a call and its record repeats
 * the call (answered the same by its key) and records it then.
 */
export type LifecycleWork =
  /** Confirmed with its stock sold: group the lines into shipments. */
  | { kind: 'assign' }
  /** Shipped and not captured: take its amount from the authorisation. */
  | { kind: 'capture'; shipmentId: string; amount: number }
  /** Cancelled before it shipped: its units go back to its warehouse. */
  | { kind: 'restock_shipment'; shipmentId: string }
  /** The whole order cancelled with nothing captured: release the authorisation. */
  | { kind: 'void'; paymentId: string }
  /** Some shipments cancelled, every other captured: release what is still held. */
  | { kind: 'release_remainder'; paymentId: string; amount: number }
  /** The whole order cancelled: its coupon uses come back. */
  | { kind: 'release_coupons' }
  /** A received return: resellable units back on sale, damaged ones written off. */
  | { kind: 'return_stock'; returnId: string }
  /** A received return: give back what its units cost. */
  | { kind: 'refund'; returnId: string; amount: number };

/**
 * The events after which an order can owe work (the rest never add any): the worker's consumer
 * skips the others instead of reading the order's history for nothing. The worker keeps going
 * after its own records, and the sweeper catches anything else.
 */
export const WORK_TRIGGERS: ReadonlySet<string> = new Set([
  'stock_committed',
  'cart_cleared',
  'shipment_shipped',
  'shipment_delivered',
  'shipments_cancelled',
  'payment_captured',
  'return_received',
]);

/** Settings the time-based rules read (lifecycle.config.ts). */
export interface LifecycleTimings {
  /** A shipment still `requested` this long after its request is flagged (and alerted). */
  pickTimeoutMs: number;
  /** An authorisation is renewed when it would lapse within this and something is unshipped. */
  reauthorizeLeadMs: number;
}

/** Work that time makes due: a late pick, an authorisation about to lapse. */
export type DueWork =
  { kind: 'flag_pick_overdue'; shipmentId: string } | { kind: 'reauthorize'; paymentId: string };

const activeShipments = (order: OrderState) =>
  order.fulfillment.shipments.filter((shipment) => shipment.status !== 'cancelled');

/**
 * Confirmed, with the checkout's last steps done (stock sold, cart cleared): the checkout or its
 * recovery no longer appends to the order, so the assignment does not race them.
 */
export const readyToAssign = (order: OrderState): boolean =>
  order.status === 'confirmed' &&
  order.progress.stockCommitted &&
  order.progress.cartCleared &&
  order.fulfillment.shipments.length === 0;

/** Every item of outstanding work, in the order the worker runs them. */
export function pendingWork(order: OrderState): LifecycleWork[] {
  const { fulfillment: f, progress } = order;
  if (readyToAssign(order)) return [{ kind: 'assign' }];
  const work: LifecycleWork[] = [];
  const paymentId = payable(order);
  for (const shipment of f.shipments) {
    if (hasShipped(shipment) && !shipment.captured && shipment.amount > 0 && paymentId) {
      work.push({ kind: 'capture', shipmentId: shipment.shipmentId, amount: shipment.amount });
    }
    if (shipment.status === 'cancelled' && !shipment.restocked) {
      work.push({ kind: 'restock_shipment', shipmentId: shipment.shipmentId });
    }
  }
  const cancelled = f.shipments.some((shipment) => shipment.status === 'cancelled');
  const whole = f.shipments.length > 0 && activeShipments(order).length === 0;
  const held = f.money.authorized - f.money.captured - f.money.released;
  if (paymentId && cancelled && held > 0) {
    if (whole && f.money.captured === 0) {
      work.push({ kind: 'void', paymentId });
    } else if (activeShipments(order).every(settledCapture)) {
      work.push({ kind: 'release_remainder', paymentId, amount: held });
    }
  }
  if (whole && order.coupons.length > 0 && !progress.couponsReleased) {
    work.push({ kind: 'release_coupons' });
  }
  for (const r of f.returns) {
    if (r.status === 'requested') continue;
    if (!r.restocked) work.push({ kind: 'return_stock', returnId: r.returnId });
    if (r.status === 'received')
      work.push({ kind: 'refund', returnId: r.returnId, amount: r.refund });
  }
  return work;
}

/** Work the clock made due at `now` (besides `pendingWork`). */
export function dueWork(order: OrderState, now: number, timings: LifecycleTimings): DueWork[] {
  const { fulfillment: f } = order;
  const work: DueWork[] = [];
  for (const shipment of f.shipments) {
    const late = now - Date.parse(shipment.requestedAt) >= timings.pickTimeoutMs;
    const flagged = f.attention.some(
      (flag) => flag.kind === 'pick_overdue' && flag.shipmentId === shipment.shipmentId,
    );
    if (shipment.status === 'requested' && late && !flagged) {
      work.push({ kind: 'flag_pick_overdue', shipmentId: shipment.shipmentId });
    }
  }
  const paymentId = payable(order);
  const waiting = activeShipments(order).some((s) => !hasShipped(s) && s.amount > 0);
  const expiresAt = f.paymentExpiresAt ? Date.parse(f.paymentExpiresAt) : undefined;
  if (
    paymentId &&
    waiting &&
    expiresAt !== undefined &&
    expiresAt - now <= timings.reauthorizeLeadMs
  ) {
    work.push({ kind: 'reauthorize', paymentId });
  }
  return work;
}

/** The payment still open on the order (authorised and not voided), if any. */
function payable(order: OrderState): string | undefined {
  const payment = order.progress.payment;
  return payment?.status === 'authorized' ? payment.paymentId : undefined;
}

/** A shipment whose capture is done or not needed (free lines). */
const settledCapture = (shipment: ShipmentState) => shipment.captured || shipment.amount === 0;

/**
 * The order's shipments: one per warehouse its lines' stock was sold from (each reservation
 * holds a whole line in one warehouse, planned at checkout: nearest first, fewest places), in
 * the region's nearest-first order, each with its lines' share of the total; shipping and tax
 * ride with the first shipment. Ids are derived from the order and the warehouse, so a repeat
 * of the assignment names the same shipments.
 */
export function assignShipments(order: OrderState): AssignedShipment[] {
  const nets = lineNets(order.lines, order.totals);
  const nearest = REGION_WAREHOUSES[order.region];
  const warehouseOf = (sku: string): WarehouseId =>
    (order.progress.reservations.find((r) => r.sku === sku)?.warehouseId as WarehouseId) ??
    nearest[0];
  const groups = new Map<WarehouseId, { sku: string; quantity: number; net: number }[]>();
  order.lines.forEach((line, i) => {
    const warehouse = warehouseOf(line.sku);
    groups.set(warehouse, [
      ...(groups.get(warehouse) ?? []),
      { sku: line.sku, quantity: line.quantity, net: nets[i] },
    ]);
  });
  const extras = order.totals.shipping.amount + order.totals.tax.amount;
  const ordered = [...groups.keys()].sort((a, b) => rank(nearest, a) - rank(nearest, b));
  return ordered.map((warehouseId, i) => {
    const lines = groups.get(warehouseId) ?? [];
    const net = lines.reduce((sum, line) => sum + line.net, 0) + (i === 0 ? extras : 0);
    return {
      shipmentId: shipmentIdOf(order.orderId, warehouseId),
      warehouseId,
      lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
      amount: moneyOf(net, order.currency),
    };
  });
}

const rank = (nearest: readonly WarehouseId[], warehouse: WarehouseId) => {
  const at = nearest.indexOf(warehouse);
  return at < 0 ? nearest.length : at;
};

/** A shipment's id: short, opaque, the same for the same order and warehouse. */
export function shipmentIdOf(orderId: string, warehouseId: WarehouseId): string {
  const digest = createHash('sha256').update(`${orderId}:${warehouseId}`).digest('hex');
  return `shp_${digest.slice(0, 20)}`;
}
