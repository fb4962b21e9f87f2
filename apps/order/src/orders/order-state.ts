import type { Currency, Region } from '@mercato/contracts';
import type {
  OrderEvent,
  OrderEventType,
  OrderLine,
  OrderReservation,
  OrderStatus,
  OrderTotals,
  ShippingAddress,
} from './order.events';
import { OrderTransitionRefused } from './orders.exception';
import {
  applyLifecycleEvent,
  emptyFulfillment,
  isLifecycleEvent,
  type Fulfillment,
  type LifecycleEventType,
} from '../lifecycle/lifecycle-state';

/** An order as its events so far make it. */
export interface OrderState {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  region: Region;
  currency: Currency;
  lines: OrderLine[];
  totals: OrderTotals;
  shippingAddress: ShippingAddress;
  paymentId?: string;
  /** Coupon codes priced into the totals. */
  coupons: string[];
  idempotencyKey?: string;
  /** Where the checkout stands: what was done and what was undone (the step events). */
  progress: CheckoutProgress;
  /** When `placed` happened (ISO 8601): orders sort by it. */
  placedAt: string;
  /** When the latest event happened. */
  updatedAt: string;
  /** The version of the latest event applied. */
  version: number;
  /** Why the order is on hold, cancelled or failed (the latest event's reason). */
  reason?: string;
  /** After confirmation: shipments, returns, money moved (docs/order-lifecycle.md). */
  fulfillment: Fulfillment;
}

/** The checkout's steps as the step events recorded them (recovery decides from this). */
export interface CheckoutProgress {
  fraud?: { outcome: 'allow' | 'review' | 'deny'; score: number; reasons: string[] };
  reservations: OrderReservation[];
  couponsRedeemed: string[];
  payment?: { paymentId: string; brand?: string; last4?: string; status: 'authorized' | 'voided' };
  stockCommitted: boolean;
  stockReleased: boolean;
  couponsReleased: boolean;
  cartCleared: boolean;
}

type StepEventType =
  | 'fraud_assessed'
  | 'stock_reserved'
  | 'coupons_redeemed'
  | 'payment_authorized'
  | 'stock_committed'
  | 'cart_cleared'
  | 'stock_released'
  | 'coupons_released'
  | 'payment_voided';

const STEP_EVENTS: ReadonlySet<OrderEventType> = new Set<StepEventType>([
  'fraud_assessed',
  'stock_reserved',
  'coupons_redeemed',
  'payment_authorized',
  'stock_committed',
  'cart_cleared',
  'stock_released',
  'coupons_released',
  'payment_voided',
]);

const isStepEvent = (event: OrderEvent): event is Extract<OrderEvent, { type: StepEventType }> =>
  STEP_EVENTS.has(event.type);

/** The progress after one step event (pure). */
function advance(progress: CheckoutProgress, event: Extract<OrderEvent, { type: StepEventType }>) {
  switch (event.type) {
    case 'fraud_assessed':
      return { ...progress, fraud: { ...event.data } };
    case 'stock_reserved':
      return { ...progress, reservations: [...progress.reservations, ...event.data.reservations] };
    case 'coupons_redeemed':
      return { ...progress, couponsRedeemed: [...progress.couponsRedeemed, ...event.data.codes] };
    case 'payment_authorized': {
      const { paymentId, brand, last4 } = event.data;
      return { ...progress, payment: { paymentId, brand, last4, status: 'authorized' as const } };
    }
    case 'stock_committed':
      return { ...progress, stockCommitted: true };
    case 'cart_cleared':
      return { ...progress, cartCleared: true };
    case 'stock_released':
      return { ...progress, stockReleased: true };
    case 'coupons_released':
      return { ...progress, couponsReleased: true };
    case 'payment_voided':
      return progress.payment
        ? { ...progress, payment: { ...progress.payment, status: 'voided' as const } }
        : progress;
  }
}

/**
 * The status machine: which status each event moves an order from, and to. `placed` starts an
 * order; `approved` and `rejected` decide an order on hold (the fraud review), and a customer or
 * admin may cancel while nothing is final. Anything else is refused.
 */
const TRANSITIONS: Readonly<
  Record<
    Exclude<OrderEventType, 'placed' | StepEventType | LifecycleEventType>,
    { from: readonly OrderStatus[]; to: OrderStatus }
  >
> = {
  confirmed: { from: ['pending'], to: 'confirmed' },
  put_on_hold: { from: ['pending'], to: 'on_hold' },
  failed: { from: ['pending'], to: 'failed' },
  approved: { from: ['on_hold'], to: 'confirmed' },
  rejected: { from: ['on_hold'], to: 'cancelled' },
  cancelled: { from: ['pending', 'on_hold', 'confirmed'], to: 'cancelled' },
};

/**
 * The order after `event` (pure: `state` is not changed). Throws `OrderTransitionRefused` when
 * the event cannot happen now: a first event that is not `placed`, a second `placed`, a
 * transition the machine lacks, or an event of another order or out of version order.
 */
export function applyEvent(state: OrderState | undefined, event: OrderEvent): OrderState {
  if (!state) {
    if (event.type !== 'placed' || event.version !== 1) {
      throw new OrderTransitionRefused(event.orderId, 'none', event.type);
    }
    return {
      orderId: event.orderId,
      ...event.data,
      lines: event.data.lines.map((line) => ({ ...line })),
      coupons: [...event.data.coupons],
      progress: {
        reservations: [],
        couponsRedeemed: [],
        stockCommitted: false,
        stockReleased: false,
        couponsReleased: false,
        cartCleared: false,
      },
      status: 'pending',
      fulfillment: emptyFulfillment(),
      placedAt: event.occurredAt,
      updatedAt: event.occurredAt,
      version: event.version,
    };
  }
  if (
    event.type === 'placed' ||
    event.orderId !== state.orderId ||
    event.version !== state.version + 1
  ) {
    throw new OrderTransitionRefused(state.orderId, state.status, event.type);
  }
  if (isStepEvent(event)) {
    // A step is a fact about the checkout, recorded in any status (a compensation may follow
    // the failure it repairs); it changes the progress, never the status.
    return {
      ...state,
      progress: advance(state.progress, event),
      paymentId: event.type === 'payment_authorized' ? event.data.paymentId : state.paymentId,
      fulfillment: trackPayment(state.fulfillment, event),
      updatedAt: event.occurredAt,
      version: event.version,
    };
  }
  if (isLifecycleEvent(event)) return applyLifecycleEvent(state, event);
  const transition = TRANSITIONS[event.type];
  if (!transition.from.includes(state.status)) {
    throw new OrderTransitionRefused(state.orderId, state.status, event.type);
  }
  const reason = 'reason' in event.data ? event.data.reason : undefined;
  return {
    ...state,
    status: transition.to,
    updatedAt: event.occurredAt,
    version: event.version,
    reason,
  };
}

/** The money an authorisation holds, and gives back when voided (what the lifecycle counts). */
function trackPayment(
  fulfillment: Fulfillment,
  event: Extract<OrderEvent, { type: StepEventType }>,
): Fulfillment {
  const { money } = fulfillment;
  if (event.type === 'payment_authorized') {
    return {
      ...fulfillment,
      money: { ...money, authorized: event.data.amount.amount },
      ...(event.data.expiresAt === undefined ? {} : { paymentExpiresAt: event.data.expiresAt }),
    };
  }
  if (event.type === 'payment_voided') {
    return { ...fulfillment, money: { ...money, released: money.authorized - money.captured } };
  }
  return fulfillment;
}

/** The order its whole history makes, or undefined for no events. */
export function foldEvents(events: readonly OrderEvent[]): OrderState | undefined {
  return events.reduce<OrderState | undefined>(applyEvent, undefined);
}
