import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import type {
  CancelOrder,
  OrderView,
  ReceiveReturn,
  RecordWarehouseEvent,
  RequestOf,
  RequestReturn,
  ReturnView,
  WarehouseEventResult,
} from '@mercato/contracts';
import { CheckoutSteps } from '../checkout/checkout-steps';
import { compensationsOf } from '../checkout/recovery.rules';
import { orderViewOf, returnViewOf } from '../order-queries/order-views';
import { OrderRecorder } from '../orders/order-recorder';
import type { OrderState } from '../orders/order-state';
import type { OrderActor, OrderEventDraft, ReturnLine } from '../orders/order.events';
import { OrderVersionConflict } from '../orders/orders.exception';
import {
  deliveredUnits,
  findReturn,
  findShipment,
  FULFILMENT_STATUSES,
  hasShipped,
  isCancellable,
  returnedUnits,
} from './lifecycle-state';
import { LifecycleClock } from './lifecycle.clock';
import { lifecycleSettings, type LifecycleSettings } from './lifecycle.config';
import { LifecycleErrorCode, LifecycleException } from './lifecycle.exception';
import { LifecycleWorker } from './lifecycle-worker';
import { readyToAssign } from './lifecycle-work';
import { lineNets, moneyOf, unitsCost } from './money-split';

/** Tries of one decision when other writers keep appending to the order first. */
const MAX_ATTEMPTS = 12;
/** A warehouse clock may run a little ahead of ours; beyond this a time is refused. */
const CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

type WarehouseEventRequest = RequestOf<typeof RecordWarehouseEvent>;

/**
 * The lifecycle's commands: warehouse events, cancellation, returns and their receipt. Each
 * reads the order, checks the rules (refusing with a reason and changing nothing), records its
 * event at the version it read, and retries from the read when another writer came first. The
 * remote work the events call for (captures, restocks, voids, refunds) is the worker's.
 */
@Injectable()
export class LifecycleService {
  private readonly settings: LifecycleSettings;

  constructor(
    private readonly recorder: OrderRecorder,
    private readonly worker: LifecycleWorker,
    private readonly steps: CheckoutSteps,
    private readonly clock: LifecycleClock,
    @InjectConfig() config: object,
  ) {
    this.settings = lifecycleSettings(config);
  }

  /**
   * A warehouse's step for one shipment. A repeated `eventId` answers what the first answered
   * and changes nothing; a step behind the shipment's is recorded and moves nothing; a step
   * ahead implies the ones between.
   */
  async recordWarehouseEvent(request: WarehouseEventRequest): Promise<WarehouseEventResult> {
    const reported = Date.parse(request.occurredAt);
    if (reported > this.clock.now() + CLOCK_SKEW_MS) {
      throw new LifecycleException(
        LifecycleErrorCode.OccurredInFuture,
        `occurredAt ${request.occurredAt} is in the future`,
      );
    }
    const fingerprint = fingerprintOf([
      request.shipmentId,
      request.type,
      new Date(reported).toISOString(),
      request.trackingNumber ?? '',
    ]);
    return this.decide(request.orderId, async (order) => {
      const fulfilling = await this.fulfilling(order);
      const shipment = findShipment(fulfilling.fulfillment, request.shipmentId);
      const warehouse = request.caller.warehouseId;
      if (!shipment || (warehouse !== undefined && shipment.warehouseId !== warehouse)) {
        throw new LifecycleException(
          LifecycleErrorCode.ShipmentNotFound,
          `Order ${order.orderId} has no shipment ${request.shipmentId}`,
        );
      }
      const applied = fulfilling.fulfillment.warehouseEvents[request.eventId];
      if (applied) {
        if (applied.fingerprint !== fingerprint) {
          throw new LifecycleException(
            LifecycleErrorCode.EventIdReused,
            `Event ${request.eventId} was received before with another body`,
          );
        }
        return { answer: this.eventResult(order.orderId, request.eventId, applied) };
      }
      if (shipment.status === 'cancelled') {
        throw new LifecycleException(
          LifecycleErrorCode.ShipmentCancelled,
          `Shipment ${shipment.shipmentId} was cancelled; it takes no more events`,
        );
      }
      const draft = this.draft(
        `shipment_${request.type}`,
        {
          shipmentId: shipment.shipmentId,
          eventId: request.eventId,
          fingerprint,
          reportedAt: request.occurredAt,
          ...(request.trackingNumber === undefined
            ? {}
            : { trackingNumber: request.trackingNumber }),
          sender: `${request.caller.kind}:${request.caller.id}`,
        },
        { kind: request.caller.kind === 'admin' ? 'admin' : 'system', id: request.caller.id },
      );
      return {
        from: fulfilling,
        drafts: [draft],
        answer: (after) =>
          this.eventResult(
            order.orderId,
            request.eventId,
            after.fulfillment.warehouseEvents[request.eventId],
          ),
      };
    });
  }

  /**
   * Cancels what has not shipped. Before fulfilment: a held order is undone like a rejected
   * review; a confirmed one gets its shipments first and loses them all. After a partial
   * shipment only the unshipped shipments go; with nothing unshipped the answer is 409.
   */
  async cancel(request: RequestOf<typeof CancelOrder>): Promise<OrderView> {
    const actor: OrderActor = request.actor;
    const reason = request.reason ?? `cancelled_by_${request.actor.kind}`;
    const after = await this.decide(request.orderId, async (order) => {
      this.assertOwner(order, request.customerId);
      if (order.status === 'on_hold') {
        const undone = await this.steps.undo(
          order,
          reason,
          compensationsOf(order),
          [{ type: 'cancelled', reason, data: { reason } }],
          { actor },
        );
        return { answer: undone };
      }
      const fulfilling = await this.fulfilling(order, LifecycleErrorCode.OrderNotCancellable);
      const shipments = fulfilling.fulfillment.shipments;
      const open = shipments.filter(isCancellable);
      if (open.length === 0) {
        if (fulfilling.status === 'cancelled') {
          throw new LifecycleException(
            LifecycleErrorCode.OrderNotCancellable,
            `Order ${order.orderId} is already cancelled`,
          );
        }
        throw new LifecycleException(
          LifecycleErrorCode.OrderAlreadyShipped,
          `Every shipment of order ${order.orderId} has shipped; return the items instead`,
          { shipped: shipments.filter(hasShipped).map((s) => s.shipmentId) },
        );
      }
      const whole = !shipments.some(hasShipped);
      const draft = this.draft(
        'shipments_cancelled',
        { shipmentIds: open.map((s) => s.shipmentId), whole, reason },
        actor,
        reason,
      );
      return { from: fulfilling, drafts: [draft], answer: (state) => state };
    });
    return orderViewOf(after);
  }

  /**
   * A customer's return of delivered units, within the return window after each unit's
   * delivery. Each unit refunds its share of its line after every discount; with an
   * idempotency key, the same key and items answer the same return.
   */
  async requestReturn(request: RequestOf<typeof RequestReturn>): Promise<ReturnView> {
    const requestHash = fingerprintOf(
      request.items.map((item) => `${item.sku}|${item.quantity}|${item.condition}|${item.reason}`),
    );
    const returnId = request.idempotencyKey
      ? `ret_${fingerprintOf([request.orderId, request.customerId, request.idempotencyKey]).slice(0, 24)}`
      : `ret_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
    const after = await this.decide(request.orderId, async (order) => {
      this.assertOwner(order, request.customerId);
      const existing = findReturn(order.fulfillment, returnId);
      if (existing) {
        if (existing.requestHash !== requestHash) {
          throw new LifecycleException(
            LifecycleErrorCode.IdempotencyKeyReused,
            'This Idempotency-Key was used for another return; use a new key',
          );
        }
        return { answer: order };
      }
      const items = this.returnLines(order, request.items);
      const refund = items.reduce((sum, item) => sum + item.refund.amount, 0);
      const draft = this.draft(
        'return_requested',
        { returnId, requestHash, items, refund: moneyOf(refund, order.currency) },
        { kind: 'customer', id: request.customerId },
      );
      return { from: order, drafts: [draft], answer: (state) => state };
    });
    return this.returnAnswer(after, returnId);
  }

  /** The warehouse (or an admin) has the returned units; the worker restocks and refunds. */
  async receiveReturn(request: RequestOf<typeof ReceiveReturn>): Promise<ReturnView> {
    const after = await this.decide(request.orderId, async (order) => {
      const found = findReturn(order.fulfillment, request.returnId);
      const warehouse = request.caller.warehouseId;
      const visible =
        found && (warehouse === undefined || found.items.some((i) => i.warehouseId === warehouse));
      if (!found || !visible) {
        throw new LifecycleException(
          LifecycleErrorCode.ReturnNotFound,
          `Order ${order.orderId} has no return ${request.returnId}`,
        );
      }
      if (found.status !== 'requested') return { answer: order };
      const draft = this.draft(
        'return_received',
        { returnId: found.returnId },
        { kind: request.caller.kind === 'admin' ? 'admin' : 'system', id: request.caller.id },
      );
      return { from: order, drafts: [draft], answer: (state) => state };
    });
    return this.returnAnswer(after, request.returnId);
  }

  /**
   * The order with its shipments: a confirmed order whose stock is sold is assigned now (the
   * worker would do it a moment later; a warehouse or a cancellation cannot wait for it).
   */
  private async fulfilling(
    order: OrderState,
    refusal = LifecycleErrorCode.OrderNotFulfilling,
  ): Promise<OrderState> {
    if (order.fulfillment.shipments.length > 0) return order;
    if (readyToAssign(order)) {
      const assigned = await this.worker.advance(order.orderId);
      if (assigned && assigned.fulfillment.shipments.length > 0) {
        // Decide again from the assigned order (the caller's version is stale).
        throw new OrderVersionConflict(order.orderId, order.version);
      }
    }
    const status = order.status === 'confirmed' ? 'being confirmed' : order.status;
    throw new LifecycleException(
      refusal,
      `Order ${order.orderId} is ${status}: it has no shipments${status === 'being confirmed' ? ' yet; retry in a moment' : ''}`,
    );
  }

  /** The return lines of a request, each with its shipment and refund; refuses what cannot be. */
  private returnLines(
    order: OrderState,
    items: RequestOf<typeof RequestReturn>['items'],
  ): ReturnLine[] {
    if (!FULFILMENT_STATUSES.has(order.status)) {
      throw this.exceeds(order, items);
    }
    const nets = lineNets(order.lines, order.totals);
    const counted = new Map<string, number>();
    const lines: ReturnLine[] = [];
    for (const item of items) {
      const index = order.lines.findIndex((line) => line.sku === item.sku);
      const shipment = order.fulfillment.shipments.find((s) =>
        s.lines.some((line) => line.sku === item.sku),
      );
      const before = returnedUnits(order.fulfillment, item.sku) + (counted.get(item.sku) ?? 0);
      const delivered = deliveredUnits(order.fulfillment, item.sku);
      if (index < 0 || !shipment || before + item.quantity > delivered) {
        throw this.exceeds(order, items);
      }
      const deliveredAt = Date.parse(shipment.deliveredAt ?? '');
      if (this.clock.now() > deliveredAt + this.settings.ORDER_RETURN_WINDOW_DAYS * DAY_MS) {
        throw new LifecycleException(
          LifecycleErrorCode.ReturnWindowClosed,
          `The ${this.settings.ORDER_RETURN_WINDOW_DAYS}-day return window for ${item.sku} closed`,
          { sku: item.sku, deliveredAt: shipment.deliveredAt },
        );
      }
      const line = order.lines[index];
      const refund =
        unitsCost(nets[index], line.quantity, before + item.quantity) -
        unitsCost(nets[index], line.quantity, before);
      counted.set(item.sku, (counted.get(item.sku) ?? 0) + item.quantity);
      lines.push({
        ...item,
        shipmentId: shipment.shipmentId,
        warehouseId: shipment.warehouseId,
        refund: moneyOf(refund, order.currency),
      });
    }
    return lines;
  }

  /** 422 naming each SKU asked for more than can still be returned. */
  private exceeds(
    order: OrderState,
    items: RequestOf<typeof RequestReturn>['items'],
  ): LifecycleException {
    const asked = new Map<string, number>();
    for (const item of items) asked.set(item.sku, (asked.get(item.sku) ?? 0) + item.quantity);
    const rows = [...asked].map(([sku, requested]) => ({
      sku,
      requested,
      returnable: Math.max(
        0,
        deliveredUnits(order.fulfillment, sku) - returnedUnits(order.fulfillment, sku),
      ),
    }));
    return new LifecycleException(
      LifecycleErrorCode.ReturnExceedsDelivered,
      'Only delivered units not returned before can be returned',
      { items: rows.filter((row) => row.requested > row.returnable) },
    );
  }

  private returnAnswer(order: OrderState, returnId: string): ReturnView {
    const found = findReturn(order.fulfillment, returnId);
    if (!found) throw new Error(`return ${returnId} vanished from order ${order.orderId}`);
    return returnViewOf(order, found);
  }

  private assertOwner(order: OrderState, customerId: string | undefined): void {
    if (customerId !== undefined && order.customerId !== customerId) {
      throw new LifecycleException(
        LifecycleErrorCode.OrderNotFound,
        `Order ${order.orderId} was not found`,
      );
    }
  }

  private eventResult(
    orderId: string,
    eventId: string,
    applied: {
      shipmentId: string;
      shipmentStatus: WarehouseEventResult['shipmentStatus'];
      orderStatus: WarehouseEventResult['orderStatus'];
    },
  ): WarehouseEventResult {
    return {
      orderId,
      shipmentId: applied.shipmentId,
      eventId,
      shipmentStatus: applied.shipmentStatus,
      orderStatus: applied.orderStatus,
    };
  }

  /**
   * Reads the order and lets `decision` answer outright or name events to record; a version
   * conflict (another writer first) reads and decides again. Unknown and never-placed orders
   * are not found.
   */
  private async decide<T>(
    orderId: string,
    decision: (
      order: OrderState,
    ) => Promise<
      | { answer: T }
      | { from: OrderState; drafts: OrderEventDraft[]; answer: (after: OrderState) => T }
    >,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.recorder.load(orderId);
      if (!order || order.status === 'failed' || order.status === 'pending') {
        if (order?.status === 'pending') {
          throw new LifecycleException(
            LifecycleErrorCode.OrderNotFulfilling,
            `Order ${orderId} is still being placed; retry in a moment`,
          );
        }
        throw new LifecycleException(
          LifecycleErrorCode.OrderNotFound,
          `Order ${orderId} was not found`,
        );
      }
      try {
        const decided = await decision(order);
        if (!('drafts' in decided)) return decided.answer;
        const after = await this.recorder.record(
          orderId,
          decided.from.version,
          decided.drafts,
          decided.from,
        );
        return decided.answer(after);
      } catch (error) {
        if (!(error instanceof OrderVersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
        // Concurrent writers of one order: a short, spread-out pause lets the first finish.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  private draft(type: string, data: object, actor: OrderActor, reason?: string): OrderEventDraft {
    return {
      type,
      data,
      occurredAt: this.clock.iso(),
      actor,
      ...(reason === undefined ? {} : { reason }),
    } as OrderEventDraft;
  }
}

/** A short digest naming a request's content (what "the same body" means). */
function fingerprintOf(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
