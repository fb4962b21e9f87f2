import { Injectable } from '@nestjs/common';
import type { ReviewHeldOrder, RequestOf } from '@mercato/contracts';
import { OrderQueriesService } from '../order-queries/order-queries.service';
import type { AdminOrderView } from '../order-queries/order-views';
import { OrderRecorder } from '../orders/order-recorder';
import type { OrderState } from '../orders/order-state';
import { OrderTransitionRefused } from '../orders/orders.exception';
import { CheckoutSteps } from './checkout-steps';
import { CheckoutErrorCode, CheckoutException } from './checkout.exception';
import { compensationsOf } from './recovery.rules';

/**
 * The fraud review of an order on hold. Each decision makes its remote calls first (idempotent)
 * and then records the decision with its step events in ONE append: a review that dies halfway
 * leaves the order on hold, and the admin's retry repeats only idempotent calls.
 */
@Injectable()
export class OrderReviewService {
  constructor(
    private readonly recorder: OrderRecorder,
    private readonly steps: CheckoutSteps,
    private readonly queries: OrderQueriesService,
  ) {}

  async review(request: RequestOf<typeof ReviewHeldOrder>): Promise<AdminOrderView> {
    const order = await this.recorder.load(request.orderId);
    if (!order) {
      throw new CheckoutException(CheckoutErrorCode.OrderNotFound, `No order ${request.orderId}`);
    }
    const decided = request.decision === 'approve' ? 'approved' : 'rejected';
    if (order.status !== 'on_hold') {
      throw new OrderTransitionRefused(order.orderId, order.status, decided);
    }
    const actor = { kind: 'admin' as const, id: request.adminId };
    const after =
      request.decision === 'approve'
        ? await this.approve(order, actor)
        : await this.reject(order, actor, request.reason ?? 'fraud_review_rejected');
    return this.adminView(after);
  }

  /** The admin's view of an order (the review's answer). */
  async adminView(order: OrderState): Promise<AdminOrderView> {
    return this.queries.adminViewOf(order, await this.recorder.history(order.orderId));
  }

  private async approve(
    order: OrderState,
    actor: { kind: 'admin'; id: string },
  ): Promise<OrderState> {
    const reservationIds = await this.steps.commitStock(order);
    return this.steps.record(
      order,
      [
        { type: 'approved', data: {} },
        { type: 'stock_committed', data: { reservationIds } },
      ],
      actor,
    );
  }

  private reject(
    order: OrderState,
    actor: { kind: 'admin'; id: string },
    reason: string,
  ): Promise<OrderState> {
    return this.steps.undo(
      order,
      reason,
      compensationsOf(order),
      [{ type: 'rejected', reason, data: { reason } }],
      { actor },
    );
  }
}
