import type { EventData, OrderChanged } from '@mercato/contracts';
import { applyEvent, type OrderState } from './order-state';
import type { OrderEvent } from './order.events';

/**
 * The `order.order.changed` messages of an order's events: each carries the order's customer,
 * region and status after it; `placed`, `confirmed` and `approved` (a held order confirmed by
 * the fraud review) also carry the lines and the total (what recommendations, analytics and
 * search's sales signals read: an approved order is a sale as much as a confirmed one). `before` is the order before the first event (undefined
 * when the first is `placed`).
 */
export function orderChangedMessages(
  before: OrderState | undefined,
  events: readonly OrderEvent[],
): EventData<typeof OrderChanged>[] {
  const messages: EventData<typeof OrderChanged>[] = [];
  let state = before;
  for (const event of events) {
    state = applyEvent(state, event);
    const withLines =
      event.type === 'placed' || event.type === 'confirmed' || event.type === 'approved';
    messages.push({
      orderId: event.orderId,
      version: event.version,
      type: event.type,
      occurredAt: event.occurredAt,
      customerId: state.customerId,
      region: state.region,
      status: state.status,
      ...(event.reason === undefined ? {} : { reason: event.reason }),
      ...(withLines
        ? {
            lines: state.lines.map(({ sku, productId, sellerId, quantity, lineTotal }) => ({
              sku,
              productId,
              ...(sellerId === undefined ? {} : { sellerId }),
              quantity,
              lineTotal,
            })),
            total: state.totals.total,
          }
        : {}),
    });
  }
  return messages;
}
