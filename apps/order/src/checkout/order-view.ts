import type { OrderView, adminOrderViewSchema } from '@mercato/contracts';
import type { z } from 'zod';
import type { FraudDecisionRecord } from '../fraud/fraud-decisions';
import type { Payment } from '../payments/payment-provider';
import type { OrderState } from '../orders/order-state';
import type { OrderEvent } from '../orders/order.events';

export type AdminOrderView = z.infer<typeof adminOrderViewSchema>;

/*
 * Checkout's answers (PlaceOrder, ReviewHeldOrder). The order read side (order-queries) maps
 * orders for its own routes; these two mappers should become one with it.
 */

/** One order as its owner sees it, from its folded history. */
export function orderViewOf(state: OrderState): OrderView {
  const payment = state.progress.payment;
  return {
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    region: state.region,
    currency: state.currency,
    items: state.lines.map((line) => ({ ...line })),
    totals: state.totals,
    coupons: [...state.coupons],
    shippingAddress: { ...state.shippingAddress },
    // No authorisation on record means nothing is held on the card (a failed checkout).
    payment: payment
      ? {
          status: payment.status,
          ...(payment.brand === undefined ? {} : { brand: payment.brand }),
          ...(payment.last4 === undefined ? {} : { last4: payment.last4 }),
        }
      : { status: 'voided' },
    shipments: [],
    ...(state.reason === undefined ? {} : { reason: state.reason }),
    createdAt: state.placedAt,
    updatedAt: state.updatedAt,
  };
}

/** The admin's view: the owner's view, the timeline, the payment as the provider has it, fraud. */
export function adminOrderViewOf(
  state: OrderState,
  history: readonly OrderEvent[],
  payment: Payment | undefined,
  fraud: FraudDecisionRecord | undefined,
): AdminOrderView {
  return {
    ...orderViewOf(state),
    timeline: history.map((event) => ({
      version: event.version,
      type: event.type,
      occurredAt: event.occurredAt,
      actor: { ...event.actor },
      ...(event.reason === undefined ? {} : { reason: event.reason }),
      data: { ...event.data } as Record<string, unknown>,
    })),
    payments: payment
      ? [
          {
            paymentId: payment.paymentId,
            status: payment.status,
            authorized: payment.amount,
            captured: payment.captured,
            refunded: payment.refunded,
          },
        ]
      : [],
    fraud: fraud
      ? {
          outcome: fraud.decision,
          score: fraud.score,
          reasons: fraud.reasons.map(({ rule, weight, detail }) => ({ rule, weight, detail })),
          decidedAt: fraud.decidedAt,
        }
      : null,
  };
}
