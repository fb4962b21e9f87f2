import type { ShipmentStatus, ShipmentStep, WarehouseId } from '@mercato/contracts';
import type {
  OrderEvent,
  OrderEventOf,
  OrderStatus,
  ReturnLine,
  ShipmentEventType,
} from '../orders/order.events';
import { SHIPMENT_EVENT_TYPES } from '../orders/order.events';
import type { OrderState } from '../orders/order-state';
import { OrderTransitionRefused } from '../orders/orders.exception';

/** One shipment: a warehouse, the whole lines it ships, and how far it got. */
export interface ShipmentState {
  shipmentId: string;
  warehouseId: WarehouseId;
  lines: { sku: string; quantity: number }[];
  /** Minor units captured when it ships. */
  amount: number;
  status: ShipmentStatus;
  requestedAt: string;
  trackingNumber?: string;
  shippedAt?: string;
  deliveredAt?: string;
  /** `payment_captured` recorded for it. */
  captured: boolean;
  /** Cancelled, and its units are back in its warehouse's stock. */
  restocked: boolean;
}

export interface ReturnState {
  returnId: string;
  requestHash: string;
  status: 'requested' | 'received' | 'refunded';
  items: ReturnLine[];
  /** Minor units refunded once received. */
  refund: number;
  requestedAt: string;
  receivedAt?: string;
  refundedAt?: string;
  /** Resellable units back on sale, damaged ones written off. */
  restocked: boolean;
}

/** A warehouse event as first applied: a repeat of its id answers this again. */
export interface AppliedWarehouseEvent {
  fingerprint: string;
  shipmentId: string;
  shipmentStatus: ShipmentStatus;
  orderStatus: OrderStatus;
}

export interface AttentionFlag {
  kind: 'pick_overdue' | 'payment_failed';
  shipmentId?: string;
  since: string;
  detail: string;
}

/** The order after confirmation: shipments, returns and what moved on the card. */
export interface Fulfillment {
  shipments: ShipmentState[];
  returns: ReturnState[];
  warehouseEvents: Record<string, AppliedWarehouseEvent>;
  /** Minor units: authorised, captured, refunded, and released back to the card uncaptured. */
  money: { authorized: number; captured: number; refunded: number; released: number };
  /** When the authorisation lapses if nothing is captured (from the provider). */
  paymentExpiresAt?: string;
  attention: AttentionFlag[];
}

export const emptyFulfillment = (): Fulfillment => ({
  shipments: [],
  returns: [],
  warehouseEvents: {},
  money: { authorized: 0, captured: 0, refunded: 0, released: 0 },
  attention: [],
});

/** The lifecycle's events: `applyLifecycleEvent` folds them. */
export const LIFECYCLE_EVENT_TYPES = [
  'fulfillment_assigned',
  ...SHIPMENT_EVENT_TYPES,
  'payment_captured',
  'payment_reauthorized',
  'authorization_released',
  'shipments_cancelled',
  'shipment_restocked',
  'return_requested',
  'return_received',
  'return_restocked',
  'return_refunded',
  'attention_raised',
] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];
export type LifecycleEvent = OrderEventOf<LifecycleEventType>;

const LIFECYCLE_TYPES: ReadonlySet<string> = new Set(LIFECYCLE_EVENT_TYPES);
export const isLifecycleEvent = (event: OrderEvent): event is LifecycleEvent =>
  LIFECYCLE_TYPES.has(event.type);

/** Shipment statuses in the order a shipment moves through them (cancelled stands apart). */
const STEP_RANK: Readonly<Record<Exclude<ShipmentStatus, 'cancelled'>, number>> = {
  requested: 0,
  picked: 1,
  packed: 2,
  shipped: 3,
  delivered: 4,
};

export const stepOf = (type: ShipmentEventType): ShipmentStep =>
  type.slice('shipment_'.length) as ShipmentStep;

/** A shipment that left its warehouse (shipped, or delivered which implies it). */
export const hasShipped = (shipment: ShipmentState): boolean =>
  shipment.status === 'shipped' || shipment.status === 'delivered';

/** A shipment that may still be cancelled: not shipped and not cancelled. */
export const isCancellable = (shipment: ShipmentState): boolean =>
  shipment.status !== 'cancelled' && !hasShipped(shipment);

/** The statuses an order has once fulfilment assigned its shipments. */
export const FULFILMENT_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>([
  'fulfilling',
  'picked',
  'packed',
  'partially_shipped',
  'shipped',
  'partially_delivered',
  'delivered',
  'returned',
  'refunded',
]);

/** Units of `sku` delivered to the customer (in delivered shipments). */
export function deliveredUnits(fulfillment: Fulfillment, sku: string): number {
  return fulfillment.shipments
    .filter((shipment) => shipment.status === 'delivered')
    .flatMap((shipment) => shipment.lines)
    .filter((line) => line.sku === sku)
    .reduce((sum, line) => sum + line.quantity, 0);
}

/** Units of `sku` in returns so far (requested, received or refunded). */
export function returnedUnits(fulfillment: Fulfillment, sku: string): number {
  return fulfillment.returns
    .flatMap((r) => r.items)
    .filter((item) => item.sku === sku)
    .reduce((sum, item) => sum + item.quantity, 0);
}

/**
 * The order's status as its shipments and returns make it: every shipment cancelled is a
 * cancelled order; otherwise the slowest shipment names it (`partially_…` where some went
 * further), and an order whose every delivered unit came back is `returned`, then `refunded`.
 */
export function fulfilmentStatus(fulfillment: Fulfillment): OrderStatus {
  const active = fulfillment.shipments.filter((shipment) => shipment.status !== 'cancelled');
  if (active.length === 0) return 'cancelled';
  const count = (test: (shipment: ShipmentState) => boolean) => active.filter(test).length;
  const delivered = count((shipment) => shipment.status === 'delivered');
  const shipped = count(hasShipped);
  if (delivered === active.length) return afterDelivery(fulfillment, active);
  if (delivered > 0) return 'partially_delivered';
  if (shipped === active.length) return 'shipped';
  if (shipped > 0) return 'partially_shipped';
  const slowest = Math.min(
    ...active.map((shipment) => STEP_RANK[shipment.status as keyof typeof STEP_RANK]),
  );
  return slowest >= STEP_RANK.packed
    ? 'packed'
    : slowest >= STEP_RANK.picked
      ? 'picked'
      : 'fulfilling';
}

function afterDelivery(fulfillment: Fulfillment, active: readonly ShipmentState[]): OrderStatus {
  const delivered = active
    .flatMap((shipment) => shipment.lines)
    .reduce((n, l) => n + l.quantity, 0);
  const back = fulfillment.returns.filter((r) => r.status !== 'requested');
  const backUnits = back.flatMap((r) => r.items).reduce((n, item) => n + item.quantity, 0);
  if (backUnits < delivered) return 'delivered';
  return back.every((r) => r.status === 'refunded') ? 'refunded' : 'returned';
}

/**
 * The order after one lifecycle event (pure). Throws `OrderTransitionRefused` when the event
 * cannot happen: the services check the same rules first and answer the caller with a reason,
 * so reaching a refusal here means a bug or a race the caller retries.
 */
export function applyLifecycleEvent(state: OrderState, event: LifecycleEvent): OrderState {
  const next = foldLifecycle(state, event);
  if (!next) throw new OrderTransitionRefused(state.orderId, state.status, event.type);
  const fulfillment = next;
  const assigned = fulfillment.shipments.length > 0;
  const status = assigned ? fulfilmentStatus(fulfillment) : state.status;
  const reason =
    event.type === 'shipments_cancelled' && status === 'cancelled'
      ? event.data.reason
      : state.reason;
  return {
    ...state,
    fulfillment,
    status,
    ...(reason === undefined ? {} : { reason }),
    updatedAt: event.occurredAt,
    version: event.version,
  };
}

/** The fulfilment after `event`, or undefined when the event cannot happen now. */
function foldLifecycle(state: OrderState, event: LifecycleEvent): Fulfillment | undefined {
  const f = state.fulfillment;
  switch (event.type) {
    case 'fulfillment_assigned':
      if (state.status !== 'confirmed' || f.shipments.length > 0) return undefined;
      return {
        ...f,
        shipments: event.data.shipments.map((shipment) => ({
          shipmentId: shipment.shipmentId,
          warehouseId: shipment.warehouseId,
          lines: shipment.lines.map((line) => ({ ...line })),
          amount: shipment.amount.amount,
          status: 'requested',
          requestedAt: event.occurredAt,
          captured: false,
          restocked: false,
        })),
      };
    case 'shipment_picked':
    case 'shipment_packed':
    case 'shipment_shipped':
    case 'shipment_delivered':
      return applyWarehouseStep(state, event);
    case 'payment_captured': {
      const shipment = findShipment(f, event.data.shipmentId);
      const amount = event.data.amount.amount;
      if (!shipment || !hasShipped(shipment) || shipment.captured) return undefined;
      if (amount !== shipment.amount) return undefined;
      if (f.money.captured + amount > f.money.authorized - f.money.released) return undefined;
      return {
        ...withShipment(f, { ...shipment, captured: true }),
        money: { ...f.money, captured: f.money.captured + amount },
      };
    }
    case 'payment_reauthorized':
      return { ...f, paymentExpiresAt: event.data.expiresAt };
    case 'authorization_released': {
      const held = f.money.authorized - f.money.captured - f.money.released;
      if (event.data.amount.amount > held) return undefined;
      return { ...f, money: { ...f.money, released: f.money.released + event.data.amount.amount } };
    }
    case 'shipments_cancelled': {
      const shipments = event.data.shipmentIds.map((id) => findShipment(f, id));
      if (shipments.some((shipment) => !shipment || !isCancellable(shipment))) return undefined;
      let after = f;
      for (const shipment of shipments as ShipmentState[]) {
        after = withShipment(after, { ...shipment, status: 'cancelled' });
      }
      const allCancelled = after.shipments.every((shipment) => shipment.status === 'cancelled');
      return allCancelled === event.data.whole ? after : undefined;
    }
    case 'shipment_restocked': {
      const shipment = findShipment(f, event.data.shipmentId);
      if (!shipment || shipment.status !== 'cancelled' || shipment.restocked) return undefined;
      return withShipment(f, { ...shipment, restocked: true });
    }
    case 'return_requested': {
      if (f.returns.some((r) => r.returnId === event.data.returnId)) return undefined;
      const requested: ReturnState = {
        returnId: event.data.returnId,
        requestHash: event.data.requestHash,
        status: 'requested',
        items: event.data.items.map((item) => ({ ...item })),
        refund: event.data.refund.amount,
        requestedAt: event.occurredAt,
        restocked: false,
      };
      const after = { ...f, returns: [...f.returns, requested] };
      const skus = new Set(requested.items.map((item) => item.sku));
      for (const sku of skus) {
        if (returnedUnits(after, sku) > deliveredUnits(after, sku)) return undefined;
      }
      return after;
    }
    case 'return_received': {
      const found = findReturn(f, event.data.returnId);
      if (!found || found.status !== 'requested') return undefined;
      return withReturn(f, { ...found, status: 'received', receivedAt: event.occurredAt });
    }
    case 'return_restocked': {
      const found = findReturn(f, event.data.returnId);
      if (!found || found.status === 'requested' || found.restocked) return undefined;
      return withReturn(f, { ...found, restocked: true });
    }
    case 'return_refunded': {
      const found = findReturn(f, event.data.returnId);
      const amount = event.data.amount.amount;
      if (!found || found.status !== 'received' || amount !== found.refund) return undefined;
      if (f.money.refunded + amount > f.money.captured) return undefined;
      return {
        ...withReturn(f, { ...found, status: 'refunded', refundedAt: event.occurredAt }),
        money: { ...f.money, refunded: f.money.refunded + amount },
      };
    }
    case 'attention_raised':
      return {
        ...f,
        attention: [
          ...f.attention,
          {
            kind: event.data.kind,
            ...(event.data.shipmentId === undefined ? {} : { shipmentId: event.data.shipmentId }),
            since: event.occurredAt,
            detail: event.data.detail,
          },
        ],
      };
  }
}

/**
 * A warehouse's step: the shipment moves forward to it, never back (a late `picked` after
 * `shipped` is recorded and changes nothing); a step past `shipped` implies it (`shippedAt` is
 * then the delivery's time). A cancelled shipment takes no step.
 */
function applyWarehouseStep(
  state: OrderState,
  event: OrderEventOf<ShipmentEventType>,
): Fulfillment | undefined {
  const f = state.fulfillment;
  const { shipmentId, eventId, fingerprint, reportedAt, trackingNumber } = event.data;
  const shipment = findShipment(f, shipmentId);
  if (!shipment || shipment.status === 'cancelled' || f.warehouseEvents[eventId]) return undefined;
  const step = stepOf(event.type);
  const status =
    STEP_RANK[step] > STEP_RANK[shipment.status as keyof typeof STEP_RANK] ? step : shipment.status;
  const moved: ShipmentState = {
    ...shipment,
    status,
    ...(trackingNumber === undefined ? {} : { trackingNumber }),
    ...(STEP_RANK[step] >= STEP_RANK.shipped && !shipment.shippedAt
      ? { shippedAt: reportedAt }
      : {}),
    ...(step === 'delivered' && !shipment.deliveredAt ? { deliveredAt: reportedAt } : {}),
  };
  const after = withShipment(f, moved);
  return {
    ...after,
    warehouseEvents: {
      ...after.warehouseEvents,
      [eventId]: {
        fingerprint,
        shipmentId,
        shipmentStatus: moved.status,
        orderStatus: fulfilmentStatus(after),
      },
    },
  };
}

export const findShipment = (f: Fulfillment, shipmentId: string): ShipmentState | undefined =>
  f.shipments.find((shipment) => shipment.shipmentId === shipmentId);

export const findReturn = (f: Fulfillment, returnId: string): ReturnState | undefined =>
  f.returns.find((r) => r.returnId === returnId);

const withShipment = (f: Fulfillment, shipment: ShipmentState): Fulfillment => ({
  ...f,
  shipments: f.shipments.map((s) => (s.shipmentId === shipment.shipmentId ? shipment : s)),
});

const withReturn = (f: Fulfillment, changed: ReturnState): Fulfillment => ({
  ...f,
  returns: f.returns.map((r) => (r.returnId === changed.returnId ? changed : r)),
});
