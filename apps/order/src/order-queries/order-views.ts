import type { z } from 'zod';
import type {
  adminOrderViewSchema,
  ListSellerOrders,
  orderHistoryEntrySchema,
  orderSummaryViewSchema,
  OrderView,
  ResponseOf,
  ReturnView,
} from '@mercato/contracts';
import type { ReturnState } from '../lifecycle/lifecycle-state';
import type { FraudDecisionRecord } from '../fraud/fraud-decisions';
import type { LedgerEntry, Payment } from '../payments/payment-provider';
import { openAttention } from '../lifecycle/lifecycle-attention';
import type { OrderState } from '../orders/order-state';
import type { OrderEvent, OrderLine } from '../orders/order.events';
import type { OrderSummary } from '../orders/orders.repository';
import type { SellerOrder } from '../orders/seller-orders.repository';

export type OrderSummaryView = z.infer<typeof orderSummaryViewSchema>;
export type OrderHistoryEntry = z.infer<typeof orderHistoryEntrySchema>;
export type AdminOrderView = z.infer<typeof adminOrderViewSchema>;
export type SellerOrderView = ResponseOf<typeof ListSellerOrders>['items'][number];

/** Who reads an order's trail: a customer is shown less of it than an admin (`historyEntryOf`). */
export type TrailAudience = 'customer' | 'admin';

const itemOf = (line: OrderLine): OrderView['items'][number] => ({
  sku: line.sku,
  productId: line.productId,
  ...(line.sellerId === undefined ? {} : { sellerId: line.sellerId }),
  ...(line.title === undefined ? {} : { title: line.title }),
  quantity: line.quantity,
  unitPrice: line.unitPrice,
  discount: line.discount,
  lineTotal: line.lineTotal,
});

/**
 * The payment as the order's own events tell it: `none` for an order never authorised (a
 * checkout that failed before payment, or is still before that step, or a free order); then
 * what the lifecycle moved: captures per shipment, refunds per return.
 */
function paymentViewOf(state: OrderState): OrderView['payment'] {
  const payment = state.progress.payment;
  const { captured, refunded } = state.fulfillment.money;
  const status: OrderView['payment']['status'] = !payment
    ? 'none'
    : refunded > 0
      ? refunded >= captured
        ? 'refunded'
        : 'partially_refunded'
      : captured > 0
        ? 'captured'
        : payment.status;
  return {
    status,
    ...(payment?.brand === undefined ? {} : { brand: payment.brand }),
    ...(payment?.last4 === undefined ? {} : { last4: payment.last4 }),
  };
}

function shipmentsViewOf(state: OrderState): OrderView['shipments'] {
  return state.fulfillment.shipments.map((shipment) => ({
    shipmentId: shipment.shipmentId,
    warehouseId: shipment.warehouseId,
    status: shipment.status,
    items: shipment.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    amount: { amount: shipment.amount, currency: state.currency },
    ...(shipment.trackingNumber === undefined ? {} : { trackingNumber: shipment.trackingNumber }),
    ...(shipment.shippedAt === undefined ? {} : { shippedAt: isoOf(shipment.shippedAt) }),
    ...(shipment.deliveredAt === undefined ? {} : { deliveredAt: isoOf(shipment.deliveredAt) }),
  }));
}

/** Warehouse times arrive with their own offset; views show every time in UTC. */
const isoOf = (time: string): string => new Date(time).toISOString();

/** One return as its customer, the warehouse and admins see it. */
export function returnViewOf(state: OrderState, found: ReturnState): ReturnView {
  return {
    returnId: found.returnId,
    orderId: state.orderId,
    status: found.status,
    items: found.items.map((item) => ({ ...item, refund: { ...item.refund } })),
    refund: { amount: found.refund, currency: state.currency },
    requestedAt: found.requestedAt,
    ...(found.receivedAt === undefined ? {} : { receivedAt: found.receivedAt }),
    ...(found.refundedAt === undefined ? {} : { refundedAt: found.refundedAt }),
  };
}

/** One order as its owner sees it (and the base of the admins' view). */
export function orderViewOf(state: OrderState): OrderView {
  return {
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    region: state.region,
    currency: state.currency,
    items: state.lines.map(itemOf),
    totals: state.totals,
    coupons: [...state.coupons],
    shippingAddress: state.shippingAddress,
    payment: paymentViewOf(state),
    shipments: shipmentsViewOf(state),
    returns: state.fulfillment.returns.map((found) => ({
      returnId: found.returnId,
      status: found.status,
      items: found.items.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })),
      refund: { amount: found.refund, currency: state.currency },
      requestedAt: found.requestedAt,
    })),
    ...(state.reason === undefined ? {} : { reason: state.reason }),
    createdAt: state.placedAt,
    updatedAt: state.updatedAt,
  };
}

/** One order of a list (the Orders-table item; the lines' quantities add up to `itemCount`). */
export function orderSummaryViewOf(summary: OrderSummary): OrderSummaryView {
  return {
    orderId: summary.orderId,
    status: summary.status,
    region: summary.region,
    currency: summary.currency,
    totals: summary.totals,
    itemCount: summary.lines.reduce((count, line) => count + line.quantity, 0),
    createdAt: summary.placedAt,
    updatedAt: summary.updatedAt,
  };
}

/**
 * What of an event's data the audience sees. A customer is not shown the checkout's
 * Idempotency-Key (an admin's support tool, not the customer's fact), nor the fraud score and
 * reasons: they would tell a fraudster which signals to avoid. The entry itself stays, so the
 * trail has no gaps in its versions.
 */
function dataFor(event: OrderEvent, audience: TrailAudience): Record<string, unknown> {
  if (audience === 'admin') return { ...event.data };
  switch (event.type) {
    case 'placed': {
      const { idempotencyKey: _key, ...data } = event.data;
      return data;
    }
    case 'fraud_assessed':
      return {};
    default:
      return { ...event.data };
  }
}

/** One step of an order's audit trail: what happened, when, who did it and why. */
export function historyEntryOf(event: OrderEvent, audience: TrailAudience): OrderHistoryEntry {
  return {
    version: event.version,
    type: event.type,
    occurredAt: event.occurredAt,
    actor: { ...event.actor },
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    data: dataFor(event, audience),
  };
}

/**
 * An order for admins: the owner's view with its whole trail, the payment as the provider knows
 * it now (captures and refunds included) and the fraud decision with its reasons.
 */
export function adminOrderViewOf(
  state: OrderState,
  history: readonly OrderEvent[],
  fraudDecision: FraudDecisionRecord | undefined,
  payment: Payment | undefined,
  ledger: readonly LedgerEntry[] = [],
): AdminOrderView {
  return {
    ...orderViewOf(state),
    timeline: history.map((event) => historyEntryOf(event, 'admin')),
    payments: payment
      ? [
          {
            paymentId: payment.paymentId,
            status: payment.status,
            authorized: payment.amount,
            captured: payment.captured,
            refunded: payment.refunded,
            expiresAt: payment.expiresAt,
            ledger: ledger.map(({ operation, amount, reference, at }) => ({
              operation,
              amount,
              reference,
              at,
            })),
          },
        ]
      : [],
    attention: openAttention(state),
    fraud: fraudDecision
      ? {
          outcome: fraudDecision.decision,
          score: fraudDecision.score,
          reasons: fraudDecision.reasons.map(({ rule, weight, detail }) => ({
            rule,
            weight,
            detail,
          })),
          decidedAt: fraudDecision.decidedAt,
        }
      : null,
  };
}

/** One order in a seller's list: the seller's lines only. */
export function sellerOrderViewOf(order: SellerOrder): SellerOrderView {
  return {
    orderId: order.orderId,
    status: order.status,
    region: order.region,
    currency: order.currency,
    items: order.lines.map(itemOf),
    createdAt: order.placedAt,
  };
}
