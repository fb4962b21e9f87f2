import {
  FulfillmentRequested,
  OrderCancelled,
  OrderDelivered,
  OrderNeedsAttention,
  OrderRefunded,
  OrderReturned,
  OrderShipped,
  type EventContract,
  type EventData,
} from '@mercato/contracts';
import { applyEvent, type OrderState } from '../orders/order-state';
import type { OrderEvent } from '../orders/order.events';
import { findReturn, findShipment, hasShipped, type ShipmentState } from './lifecycle-state';

/** One integration event to publish, with its contract and partition key. */
export interface LifecycleMessage<C extends EventContract = EventContract> {
  contract: C;
  data: EventData<C>;
  key: string;
}

const message = <C extends EventContract>(
  contract: C,
  data: EventData<C>,
  key: string,
): LifecycleMessage => ({ contract, data, key }) as LifecycleMessage;

/**
 * The lifecycle's integration events told by one append's events (published after them through
 * the same outbox, so none is lost and each may come twice: consumers dedupe on `orderId` and
 * `version`). A shipment that crosses into `shipped` tells `order.order.shipped`, even when a
 * `delivered` implied it; reaching `delivered` tells `order.order.delivered`.
 */
export function lifecycleMessages(
  before: OrderState | undefined,
  events: readonly OrderEvent[],
): LifecycleMessage[] {
  const messages: LifecycleMessage[] = [];
  let state = before;
  for (const event of events) {
    const previous = state;
    state = applyEvent(state, event);
    if (!previous) continue;
    messages.push(...messagesOf(previous, state, event));
  }
  return messages;
}

function messagesOf(before: OrderState, after: OrderState, event: OrderEvent): LifecycleMessage[] {
  const ref = {
    orderId: after.orderId,
    customerId: after.customerId,
    region: after.region,
    version: event.version,
    occurredAt: event.occurredAt,
  };
  const productOf = (sku: string) => after.lines.find((line) => line.sku === sku)?.productId ?? sku;
  const linesOf = (shipment: ShipmentState) =>
    shipment.lines.map(({ sku, quantity }) => ({ sku, productId: productOf(sku), quantity }));
  switch (event.type) {
    case 'fulfillment_assigned':
      return after.fulfillment.shipments.map((shipment) =>
        message(
          FulfillmentRequested,
          {
            ...ref,
            shipmentId: shipment.shipmentId,
            warehouseId: shipment.warehouseId,
            lines: shipment.lines.map(({ sku, quantity }) => ({
              sku,
              productId: productOf(sku),
              quantity,
              ...titleOf(after, sku),
            })),
            shippingAddress: after.shippingAddress,
          },
          shipment.warehouseId,
        ),
      );
    case 'shipment_picked':
    case 'shipment_packed':
    case 'shipment_shipped':
    case 'shipment_delivered': {
      const was = findShipment(before.fulfillment, event.data.shipmentId);
      const now = findShipment(after.fulfillment, event.data.shipmentId);
      if (!was || !now) return [];
      const out: LifecycleMessage[] = [];
      const facts = {
        ...ref,
        shipmentId: now.shipmentId,
        warehouseId: now.warehouseId,
        lines: linesOf(now),
        status: after.status,
      };
      if (!hasShipped(was) && hasShipped(now)) {
        out.push(
          message(
            OrderShipped,
            {
              ...facts,
              ...(now.trackingNumber === undefined ? {} : { trackingNumber: now.trackingNumber }),
            },
            after.orderId,
          ),
        );
      }
      if (was.status !== 'delivered' && now.status === 'delivered') {
        out.push(message(OrderDelivered, facts, after.orderId));
      }
      return out;
    }
    case 'shipments_cancelled': {
      const lines = event.data.shipmentIds
        .map((id) => findShipment(after.fulfillment, id))
        .flatMap((shipment) => (shipment ? linesOf(shipment) : []));
      return [
        message(
          OrderCancelled,
          {
            ...ref,
            lines,
            whole: event.data.whole,
            reason: event.data.reason,
            status: after.status,
          },
          after.orderId,
        ),
      ];
    }
    case 'cancelled':
      // A held order cancelled before it had shipments: every line.
      return [
        message(
          OrderCancelled,
          {
            ...ref,
            lines: after.lines.map(({ sku, productId, quantity }) => ({
              sku,
              productId,
              quantity,
            })),
            whole: true,
            reason: event.data.reason,
            status: after.status,
          },
          after.orderId,
        ),
      ];
    case 'return_received': {
      const found = findReturn(after.fulfillment, event.data.returnId);
      if (!found) return [];
      return [
        message(
          OrderReturned,
          {
            ...ref,
            returnId: found.returnId,
            items: found.items.map(({ sku, quantity, condition, reason }) => ({
              sku,
              productId: productOf(sku),
              quantity,
              condition,
              reason,
            })),
          },
          after.orderId,
        ),
      ];
    }
    case 'return_refunded':
      return [
        message(
          OrderRefunded,
          {
            ...ref,
            returnId: event.data.returnId,
            amount: event.data.amount,
            status: after.status,
          },
          after.orderId,
        ),
      ];
    case 'attention_raised':
      return [
        message(
          OrderNeedsAttention,
          {
            ...ref,
            kind: event.data.kind,
            ...(event.data.shipmentId === undefined ? {} : { shipmentId: event.data.shipmentId }),
            detail: event.data.detail,
          },
          after.orderId,
        ),
      ];
    default:
      return [];
  }
}

function titleOf(state: OrderState, sku: string): { title?: string } {
  const title = state.lines.find((line) => line.sku === sku)?.title;
  return title === undefined ? {} : { title };
}
