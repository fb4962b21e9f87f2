import { foldEvents, type OrderState } from './order-state';
import type { OrderEventStore } from './order-event-store';
import type { OrderEvent } from './order.events';
import {
  orderKeyOf,
  statusKeyOf,
  type OrderSummary,
  type OrdersRepository,
} from './orders.repository';

/** What one projection did: `stale` when the table already held this version or a later one. */
export type ProjectionOutcome = 'written' | 'stale' | 'no_events';

/**
 * Keeps the Orders table a projection of the order events. Projecting is idempotent and never
 * goes backwards (the write is conditional on the version), so it may run on every event
 * delivery, more than once, in any order, and from any replica.
 */
export class OrdersProjection {
  constructor(
    private readonly events: OrderEventStore,
    private readonly orders: OrdersRepository,
  ) {}

  /** Reads the order's whole history and projects it. */
  async refresh(orderId: string): Promise<ProjectionOutcome> {
    return this.project(await this.events.read(orderId));
  }

  /** Projects an order's history (all of it, from `placed` on, in version order). */
  async project(history: readonly OrderEvent[]): Promise<ProjectionOutcome> {
    const state = foldEvents(history);
    if (!state) return 'no_events';
    return this.projectState(state);
  }

  /** Projects an order already folded from its history. */
  async projectState(state: OrderState): Promise<ProjectionOutcome> {
    return (await this.orders.saveIfNewer(summaryOf(state))) ? 'written' : 'stale';
  }
}

/** The Orders-table item of an order state. */
export function summaryOf(state: OrderState): OrderSummary {
  const orderKey = orderKeyOf(state.placedAt, state.orderId);
  return {
    customerId: state.customerId,
    orderKey,
    orderId: state.orderId,
    status: state.status,
    statusKey: statusKeyOf(state.status, orderKey),
    region: state.region,
    currency: state.currency,
    totals: state.totals,
    lines: state.lines.map(({ sku, productId, quantity, lineTotal }) => ({
      sku,
      productId,
      quantity,
      lineTotal,
    })),
    placedAt: state.placedAt,
    updatedAt: state.updatedAt,
    version: state.version,
    ...(state.reason === undefined ? {} : { reason: state.reason }),
  };
}
