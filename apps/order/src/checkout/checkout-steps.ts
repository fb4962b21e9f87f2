import { Injectable } from '@nestjs/common';
import {
  ClearOrderedItems,
  CommitReservation,
  ReleaseCoupon,
  ReleaseReservation,
} from '@mercato/contracts';
import { MessageBus, RemoteError } from '@mercato/messaging';
import { OrderRecorder } from '../orders/order-recorder';
import type { OrderState } from '../orders/order-state';
import type { OrderActor, OrderEventDraft } from '../orders/order.events';
import { PaymentProvider } from '../payments/payment-provider';
import { CheckoutClock } from './checkout.clock';
import type { Compensations } from './recovery.rules';

/** Whether the order has anything to charge: a free order (a 100 % coupon) is not authorised. */
export const needsPayment = (order: OrderState): boolean => order.totals.total.amount > 0;

/** Inventory's answer to releasing a reservation it never made. */
const RESERVATION_NOT_FOUND = 'RESERVATION_NOT_FOUND';

/** Inventory's reservation id of an order's line: recovery can name it without any reply. */
export const reservationIdOf = (orderId: string, sku: string): string => `${orderId}:${sku}`;

/** A step event without its time (given when recorded). */
export type StepDraft = OrderEventDraft extends infer D
  ? D extends unknown
    ? Omit<D, 'occurredAt' | 'actor'>
    : never
  : never;

const CHECKOUT_ACTOR: OrderActor = { kind: 'system', id: 'checkout' };

/**
 * The saga steps that the checkout, the fraud review and recovery share: each remote call is
 * idempotent (by reservation id, order id, payment key), and each step is recorded on the order
 * after the call, so repeating a step after a crash repeats nothing but the call's answer.
 */
@Injectable()
export class CheckoutSteps {
  constructor(
    private readonly bus: MessageBus,
    private readonly payments: PaymentProvider,
    private readonly recorder: OrderRecorder,
    private readonly clock: CheckoutClock,
  ) {}

  /** Appends step or status events to the order (at its version) and answers it after them. */
  record(
    order: OrderState,
    drafts: readonly StepDraft[],
    actor: OrderActor = CHECKOUT_ACTOR,
  ): Promise<OrderState> {
    const full = drafts.map((draft) => this.stamp(draft, actor));
    return this.recorder.record(order.orderId, order.version, full, order);
  }

  /** A step as an event draft: now, by `actor`. */
  stamp(draft: StepDraft, actor: OrderActor = CHECKOUT_ACTOR): OrderEventDraft {
    return { ...draft, occurredAt: this.clock.iso(), actor } as OrderEventDraft;
  }

  /** Turns every line's hold into a sale. */
  async commitStock(order: OrderState): Promise<string[]> {
    const ids = order.lines.map((line) => reservationIdOf(order.orderId, line.sku));
    await Promise.all(
      order.lines.map((line, i) =>
        this.bus.request(
          CommitReservation,
          { reservationId: ids[i], sku: line.sku },
          { key: ids[i] },
        ),
      ),
    );
    return ids;
  }

  /** Takes the ordered lines and coupons off the customer's cart (once per order, cart side). */
  async clearCart(order: OrderState): Promise<void> {
    await this.bus.request(
      ClearOrderedItems,
      {
        customerId: order.customerId,
        orderId: order.orderId,
        items: order.lines.map(({ sku, quantity }) => ({ sku, quantity })),
        coupons: [...order.coupons],
      },
      { key: order.customerId },
    );
  }

  /**
   * Gives a line's hold back. Sent keyed by the reservation id, like its reserve, so on Kafka it
   * is handled after a reserve still in flight. A hold inventory never made (its line was short,
   * or the reserve never arrived) holds nothing: that answer is as good as `released`.
   */
  private async releaseHold(reservationId: string, sku: string): Promise<void> {
    await this.bus
      .request(ReleaseReservation, { reservationId, sku }, { key: reservationId })
      .catch((error: unknown) => {
        if (error instanceof RemoteError && error.code === RESERVATION_NOT_FOUND) return;
        throw error;
      });
  }

  /**
   * Undoes what `compensations` names (each call idempotent) and records the compensations not
   * yet on the order, then `closing` (e.g. `failed`) in the same append, so the history never
   * shows the status without its compensations. `paymentToken`, when given, lets it find an
   * authorisation whose reply was lost: the same authorisation call with the same key answers
   * the first one's outcome (and if the first never reached the provider, this one is voided at
   * once).
   */
  async undo(
    order: OrderState,
    reason: string,
    compensations: Compensations,
    closing: StepDraft[],
    options: { paymentToken?: string; actor?: OrderActor } = {},
  ): Promise<OrderState> {
    const { orderId, progress } = order;
    const drafts: StepDraft[] = [];
    if (compensations.releaseStock) {
      const ids = order.lines.map((line) => reservationIdOf(orderId, line.sku));
      await Promise.all(order.lines.map((line, i) => this.releaseHold(ids[i], line.sku)));
      if (!progress.stockReleased) {
        drafts.push({ type: 'stock_released', data: { reservationIds: ids, reason } });
      }
    }
    if (compensations.releaseCoupons && order.coupons.length > 0) {
      await Promise.all(
        order.coupons.map((code) =>
          this.bus.request(
            ReleaseCoupon,
            { code, customerId: order.customerId, orderId },
            { key: code },
          ),
        ),
      );
      if (!progress.couponsReleased) {
        drafts.push({ type: 'coupons_released', data: { codes: [...order.coupons], reason } });
      }
    }
    if (compensations.voidPayment) {
      const paymentId = await this.paymentIdOf(order, options.paymentToken);
      if (paymentId) {
        const payment = await this.payments.get(paymentId);
        if (payment?.status === 'authorized') {
          await this.payments.void({ idempotencyKey: `${orderId}:void`, paymentId });
        }
        if (progress.payment?.status !== 'voided' && payment && payment.status !== 'expired') {
          drafts.push({ type: 'payment_voided', data: { paymentId, reason } });
        }
      }
    }
    const all = [...drafts, ...closing];
    return all.length > 0 ? this.record(order, all, options.actor) : order;
  }

  /** The order's payment id: recorded, or learnt by repeating the authorisation with its key. */
  private async paymentIdOf(order: OrderState, token?: string): Promise<string | undefined> {
    if (order.progress.payment) return order.progress.payment.paymentId;
    // A free order (a 100 % coupon) was never authorised: there is nothing to find.
    if (!token || !needsPayment(order)) return undefined;
    const result = await this.payments.authorize({
      idempotencyKey: order.orderId,
      token,
      amount: order.totals.total,
      orderId: order.orderId,
      customerId: order.customerId,
    });
    return result.outcome === 'authorized' ? result.paymentId : undefined;
  }
}
