import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { ReleaseCoupon, RestockStock, ReturnStock } from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { OrderRecorder } from '../orders/order-recorder';
import type { OrderState } from '../orders/order-state';
import type { OrderActor, OrderEventDraft } from '../orders/order.events';
import { OrderVersionConflict } from '../orders/orders.exception';
import { PaymentProvider } from '../payments/payment-provider';
import { PaymentErrorCode, PaymentException } from '../payments/payments.exception';
import { findReturn, findShipment, hasShipped, isCancellable } from './lifecycle-state';
import { LifecycleClock } from './lifecycle.clock';
import { lifecycleSettings, timingsOf, type LifecycleSettings } from './lifecycle.config';
import {
  assignShipments,
  dueWork,
  pendingWork,
  type DueWork,
  type LifecycleWork,
} from './lifecycle-work';
import { moneyOf } from './money-split';

/** Rounds of one `advance`: each runs one item; an order has a handful of items at most. */
const MAX_ROUNDS = 50;
/** First pause between tries of a payment call; doubled each time. */
const BACKOFF_MS = 200;

const WORKER: OrderActor = { kind: 'system', id: 'lifecycle' };

/** Payment refusals that say nothing about the moment: trying again cannot help. */
const TRANSIENT_PAYMENT_CODES = new Set<string>([
  PaymentErrorCode.WriteContention,
  PaymentErrorCode.OperationInProgress,
]);

/** A payment call that failed after its tries: recorded on the order, left for the sweeper. */
class PaymentStalled extends Error {
  /** The provider refused for good (a 402: the card declined). */
  declined = false;

  constructor(
    readonly detail: string,
    readonly shipmentId?: string,
  ) {
    super(detail);
  }
}

/**
 * Moves an order's lifecycle on: runs each item of outstanding work (lifecycle-work.ts) — one
 * idempotent remote call, keyed by the order and the item (capture per shipment, refund per
 * return, a restock per line) — then records its event at the version it read. A conflict (a
 * warehouse event arrived meanwhile) reloads and decides again; a crash between call and record
 * repeats the call, which its key answers the same, so money moves once. Runs after every
 * change of the order (the `order.order.changed` consumer) and from the sweeper.
 */
@Injectable()
export class LifecycleWorker {
  private readonly logger = new Logger(LifecycleWorker.name);
  private readonly settings: LifecycleSettings;

  constructor(
    private readonly recorder: OrderRecorder,
    private readonly payments: PaymentProvider,
    private readonly bus: MessageBus,
    private readonly clock: LifecycleClock,
    @InjectConfig() config: object,
  ) {
    this.settings = lifecycleSettings(config);
  }

  /**
   * Runs the order's outstanding work (and, with `withDueWork`, what the clock made due) until
   * none is left or a payment call stalls. Answers the order as it left it.
   */
  async advance(orderId: string, withDueWork = false): Promise<OrderState | undefined> {
    let order: OrderState | undefined;
    // Read once, then go on from what each record answers; read again only after a conflict.
    let stale = true;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      if (stale) order = await this.recorder.load(orderId);
      if (!order) return undefined;
      stale = false;
      const due = withDueWork ? dueWork(order, this.clock.now(), timingsOf(this.settings)) : [];
      const next: LifecycleWork | DueWork | undefined = pendingWork(order)[0] ?? due[0];
      if (!next) return order;
      try {
        order = await this.record(order, await this.perform(order, next));
      } catch (error) {
        if (error instanceof OrderVersionConflict) {
          stale = true;
          continue;
        }
        if (error instanceof PaymentStalled) {
          await this.flagPaymentFailure(order, error).catch(() => undefined);
          return order;
        }
        throw error;
      }
    }
    this.logger.warn(`order ${orderId}: lifecycle work still left after ${MAX_ROUNDS} rounds`);
    return order;
  }

  /** Does one item's remote call and answers the events that record it. */
  private async perform(
    order: OrderState,
    work: LifecycleWork | DueWork,
  ): Promise<OrderEventDraft[]> {
    const { orderId, currency } = order;
    switch (work.kind) {
      case 'assign':
        return [this.draft('fulfillment_assigned', { shipments: assignShipments(order) })];
      case 'capture': {
        const paymentId = order.progress.payment?.paymentId as string;
        await this.paymentCall(`capture of shipment ${work.shipmentId}`, work.shipmentId, () =>
          this.payments.capture({
            idempotencyKey: `${orderId}:capture:${work.shipmentId}`,
            paymentId,
            amount: moneyOf(work.amount, currency),
          }),
        );
        return [
          this.draft('payment_captured', {
            paymentId,
            shipmentId: work.shipmentId,
            amount: moneyOf(work.amount, currency),
          }),
        ];
      }
      case 'restock_shipment': {
        const shipment = findShipment(order.fulfillment, work.shipmentId);
        if (!shipment) return [];
        await Promise.all(
          shipment.lines.map((line) =>
            this.bus.request(
              RestockStock,
              {
                operationId: `${orderId}:cancel:${line.sku}`,
                sku: line.sku,
                warehouseId: shipment.warehouseId,
                quantity: line.quantity,
              },
              { key: line.sku },
            ),
          ),
        );
        return [this.draft('shipment_restocked', { shipmentId: work.shipmentId })];
      }
      case 'void':
        await this.paymentCall('void of the authorisation', undefined, () =>
          this.payments.void({ idempotencyKey: `${orderId}:void`, paymentId: work.paymentId }),
        );
        return [
          this.draft('payment_voided', { paymentId: work.paymentId, reason: 'order_cancelled' }),
        ];
      case 'release_remainder': {
        const receipt = await this.paymentCall(
          'release of the uncaptured remainder',
          undefined,
          () =>
            this.payments.void({ idempotencyKey: `${orderId}:release`, paymentId: work.paymentId }),
        );
        return [
          this.draft('authorization_released', {
            paymentId: work.paymentId,
            amount: moneyOf(Math.min(receipt.amount.amount, work.amount), currency),
          }),
        ];
      }
      case 'release_coupons':
        await Promise.all(
          order.coupons.map((code) =>
            this.bus.request(
              ReleaseCoupon,
              { code, customerId: order.customerId, orderId },
              { key: code },
            ),
          ),
        );
        return [
          this.draft('coupons_released', { codes: [...order.coupons], reason: 'order_cancelled' }),
        ];
      case 'return_stock': {
        const found = findReturn(order.fulfillment, work.returnId);
        if (!found) return [];
        await Promise.all(
          found.items.map((item, i) =>
            this.bus.request(
              ReturnStock,
              {
                operationId: `${work.returnId}:${i}`,
                sku: item.sku,
                warehouseId: item.warehouseId,
                quantity: item.quantity,
                condition: item.condition,
              },
              { key: item.sku },
            ),
          ),
        );
        return [this.draft('return_restocked', { returnId: work.returnId })];
      }
      case 'refund': {
        const paymentId = order.progress.payment?.paymentId;
        if (work.amount > 0 && paymentId) {
          await this.paymentCall(`refund of return ${work.returnId}`, undefined, () =>
            this.payments.refund({
              idempotencyKey: `${orderId}:refund:${work.returnId}`,
              paymentId,
              amount: moneyOf(work.amount, currency),
            }),
          );
        }
        return [
          this.draft('return_refunded', {
            returnId: work.returnId,
            ...(paymentId === undefined ? {} : { paymentId }),
            amount: moneyOf(work.amount, currency),
          }),
        ];
      }
      case 'flag_pick_overdue':
        return [
          this.draft('attention_raised', {
            kind: 'pick_overdue',
            shipmentId: work.shipmentId,
            detail: `not picked within ${this.settings.ORDER_PICK_TIMEOUT_MINUTES} minutes of its request`,
          }),
        ];
      case 'reauthorize':
        return this.reauthorize(order, work.paymentId);
    }
  }

  /**
   * Renews an authorisation about to lapse; when the card refuses, the unshipped shipments are
   * cancelled with the reason (their stock goes back, what is held is released).
   */
  private async reauthorize(order: OrderState, paymentId: string): Promise<OrderEventDraft[]> {
    try {
      const receipt = await this.paymentCall('re-authorisation', undefined, () =>
        this.payments.reauthorize({
          idempotencyKey: `${order.orderId}:reauthorize:${order.fulfillment.paymentExpiresAt}`,
          paymentId,
        }),
      );
      if (receipt.expiresAt) {
        return [this.draft('payment_reauthorized', { paymentId, expiresAt: receipt.expiresAt })];
      }
      return [];
    } catch (error) {
      if (!(error instanceof PaymentStalled) || !error.declined) throw error;
      const unshipped = order.fulfillment.shipments.filter(isCancellable);
      const whole = !order.fulfillment.shipments.some(hasShipped);
      return [
        this.draft(
          'shipments_cancelled',
          {
            shipmentIds: unshipped.map((shipment) => shipment.shipmentId),
            whole,
            reason: 'authorization_expired',
          },
          'authorization_expired',
        ),
      ];
    }
  }

  /**
   * A payment call, tried ORDER_PAYMENT_ATTEMPTS times with exponential backoff while its
   * failure may pass; then `PaymentStalled` (recorded on the order as needing attention).
   */
  private async paymentCall<T>(
    what: string,
    shipmentId: string | undefined,
    call: () => Promise<T>,
  ): Promise<T> {
    const attempts = this.settings.ORDER_PAYMENT_ATTEMPTS;
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        last = error;
        const lasting =
          error instanceof PaymentException && !TRANSIENT_PAYMENT_CODES.has(error.code);
        if (lasting) break;
        if (attempt < attempts) await pause(BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
    const reason = last instanceof Error ? last.message : String(last);
    const stalled = new PaymentStalled(`${what} failed: ${reason}`, shipmentId);
    stalled.declined = last instanceof PaymentException && last.status === 402;
    throw stalled;
  }

  /** Records that a payment call stalled, once per distinct failure (the flag is the alert). */
  private async flagPaymentFailure(order: OrderState, stalled: PaymentStalled): Promise<void> {
    const seen = order.fulfillment.attention.some(
      (flag) => flag.kind === 'payment_failed' && flag.detail === stalled.detail,
    );
    if (seen) return;
    this.logger.warn(`order ${order.orderId}: ${stalled.detail}`);
    await this.record(order, [
      this.draft('attention_raised', {
        kind: 'payment_failed',
        ...(stalled.shipmentId === undefined ? {} : { shipmentId: stalled.shipmentId }),
        detail: stalled.detail,
      }),
    ]);
  }

  /** Appends `drafts` at the order's version; answers the order after them. */
  private async record(order: OrderState, drafts: OrderEventDraft[]): Promise<OrderState> {
    if (drafts.length === 0) return order;
    return this.recorder.record(order.orderId, order.version, drafts, order);
  }

  private draft(type: string, data: object, reason?: string): OrderEventDraft {
    return {
      type,
      data,
      occurredAt: this.clock.iso(),
      actor: WORKER,
      ...(reason === undefined ? {} : { reason }),
    } as OrderEventDraft;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
