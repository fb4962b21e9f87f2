import { foldEvents, type OrderState } from './order-state';
import type { OrderEventStore } from './order-event-store';
import { wasPlaced } from './order-visibility';
import type { OrderEvent, OrderLine } from './order.events';
import {
  orderKeyOf,
  statusKeyOf,
  type OrderSummary,
  type OrdersRepository,
} from './orders.repository';
import type { SellerOrder, SellerOrdersRepository } from './seller-orders.repository';

/** What one projection did: `stale` when the table already held this version or a later one. */
export type ProjectionOutcome = 'written' | 'stale' | 'no_events';

/**
 * Keeps the Orders table, and the sellers' items of placed orders, a projection of the order
 * events. Projecting is idempotent and never
 * goes backwards (the write is conditional on the version), so it may run on every event
 * delivery, more than once, in any order, and from any replica.
 */
export class OrdersProjection {
  constructor(
    private readonly events: OrderEventStore,
    private readonly orders: OrdersRepository,
    private readonly sellerOrders: SellerOrdersRepository,
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
    const written = await this.orders.saveIfNewer(summaryOf(state));
    // Written even when the order's item was not: a delivery that failed between the two writes
    // is retried (the relay), and then only the sellers' items are behind.
    await Promise.all(sellerOrdersOf(state).map((order) => this.sellerOrders.saveIfNewer(order)));
    return written ? 'written' : 'stale';
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
    ...(wasPlaced(state.status) ? { placedKey: orderKey } : {}),
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

/**
 * The sellers' items of an order state: one per seller with lines in it, holding those lines.
 * None before the order was placed (`wasPlaced`): a seller never sees a checkout that failed.
 * Lines without a seller belong to no seller's list.
 */
export function sellerOrdersOf(state: OrderState): SellerOrder[] {
  if (!wasPlaced(state.status)) return [];
  const linesBySeller = new Map<string, OrderLine[]>();
  for (const line of state.lines) {
    if (line.sellerId === undefined) continue;
    linesBySeller.set(line.sellerId, [...(linesBySeller.get(line.sellerId) ?? []), line]);
  }
  const orderKey = orderKeyOf(state.placedAt, state.orderId);
  return [...linesBySeller].map(([sellerId, lines]) => ({
    sellerId,
    orderKey,
    orderId: state.orderId,
    status: state.status,
    statusKey: statusKeyOf(state.status, orderKey),
    region: state.region,
    currency: state.currency,
    lines,
    placedAt: state.placedAt,
    updatedAt: state.updatedAt,
    version: state.version,
  }));
}
