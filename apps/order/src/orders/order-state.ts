import type { Currency, Region } from '@mercato/contracts';
import type {
  OrderEvent,
  OrderEventType,
  OrderLine,
  OrderStatus,
  OrderTotals,
  ShippingAddress,
} from './order.events';
import { OrderTransitionRefused } from './orders.exception';

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
  /** When `placed` happened (ISO 8601): orders sort by it. */
  placedAt: string;
  /** When the latest event happened. */
  updatedAt: string;
  /** The version of the latest event applied. */
  version: number;
  /** Why the order is on hold, cancelled or failed (the latest event's reason). */
  reason?: string;
}

/**
 * The status machine: which status each event moves an order from, and to. `placed` starts an
 * order; `approved` and `rejected` decide an order on hold (the fraud review), and a customer or
 * admin may cancel while nothing is final. Anything else is refused.
 */
const TRANSITIONS: Readonly<
  Record<Exclude<OrderEventType, 'placed'>, { from: readonly OrderStatus[]; to: OrderStatus }>
> = {
  confirmed: { from: ['pending'], to: 'confirmed' },
  put_on_hold: { from: ['pending'], to: 'on_hold' },
  failed: { from: ['pending'], to: 'failed' },
  approved: { from: ['on_hold'], to: 'confirmed' },
  rejected: { from: ['on_hold'], to: 'cancelled' },
  cancelled: { from: ['pending', 'on_hold', 'confirmed'], to: 'cancelled' },
};

/** The statuses no event leaves. */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['cancelled', 'failed']);

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
      status: 'pending',
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

/** The order its whole history makes, or undefined for no events. */
export function foldEvents(events: readonly OrderEvent[]): OrderState | undefined {
  return events.reduce<OrderState | undefined>(applyEvent, undefined);
}
