import { Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { OrderChanged } from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import type { OutboxRelay } from '@mercato/persistence';
import { DynamoOrderEventStore } from './dynamo-order-event-store';
import { orderChangedMessages } from './order-changed';
import { lifecycleMessages } from '../lifecycle/lifecycle-messages';
import { OrderEventsOutbox } from './order-events.outbox';
import { applyEvent, foldEvents, type OrderState } from './order-state';
import type { OrderEvent, OrderEventDraft } from './order.events';
import { ordersSettings } from './orders.config';
import { OrdersProjection } from './orders.projection';

/**
 * The one way an order changes: `record` appends events to the order's history (optimistic:
 * `expectedVersion` must be the order's version, else `OrderVersionConflict` and nothing is
 * stored), then delivers them: the Orders table projection is written and every event goes to
 * `order.order.changed`. Delivery runs through the events' outbox, so a process that dies after
 * the append leaves the delivery to the relay (started here), which projects and publishes the
 * very events stored: none lost, none invented. Reads fold the history.
 */
@Injectable()
export class OrderRecorder implements OnModuleInit, OnModuleDestroy {
  private readonly outbox: OrderEventsOutbox;
  private readonly relay: OutboxRelay;

  constructor(
    private readonly store: DynamoOrderEventStore,
    private readonly projection: OrdersProjection,
    @InjectConfig() config: object,
    @Optional() private readonly bus?: MessageBus,
  ) {
    this.outbox = new OrderEventsOutbox(store, (events, before) => this.deliver(events, before));
    const settings = ordersSettings(config);
    this.relay = this.outbox.relay({
      intervalMs: settings.ORDER_OUTBOX_INTERVAL_MS,
      graceMs: settings.ORDER_OUTBOX_GRACE_MS,
    });
  }

  onModuleInit(): void {
    if (this.bus) this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }

  /**
   * Appends `drafts` at `expectedVersion` (0 for a new order) and delivers them. `before` is the
   * order at `expectedVersion` (undefined for a new order). Answers the order after them.
   */
  async record(
    orderId: string,
    expectedVersion: number,
    drafts: readonly OrderEventDraft[],
    before?: OrderState,
  ): Promise<OrderState> {
    const events = await this.store.append(orderId, expectedVersion, drafts);
    await this.outbox.publishAppended(events, before ?? NEW_ORDER);
    return applyEvents(before, events);
  }

  /** The order as its history makes it, or undefined for an unknown id. */
  async load(orderId: string): Promise<OrderState | undefined> {
    return foldEvents(await this.store.read(orderId));
  }

  /** The order's whole history, oldest first (the audit trail). */
  history(orderId: string): Promise<OrderEvent[]> {
    return this.store.read(orderId);
  }

  /** Projects the events and publishes them; throws when either fails (the relay retries). */
  private async deliver(events: readonly OrderEvent[], given?: OrderState): Promise<void> {
    const first = events[0];
    const before =
      given === NEW_ORDER
        ? undefined
        : (given ?? foldEvents(await this.store.readUntil(first.orderId, first.version)));
    await this.projection.projectState(applyEvents(before, events));
    if (!this.bus) return;
    for (const message of orderChangedMessages(before, events)) {
      await this.bus.publish(OrderChanged, message, { key: message.orderId });
    }
    // The lifecycle's integration events (shipped, delivered, cancelled, returned, refunded,
    // fulfilment requests, alerts) ride the same outbox: published after the append, never lost.
    for (const { contract, data, key } of lifecycleMessages(before, events)) {
      await this.bus.publish(contract, data, { key });
    }
  }
}

/** Marks "the writer knows there was no order before" apart from "the relay does not know". */
const NEW_ORDER = Object.freeze({}) as OrderState;

function applyEvents(before: OrderState | undefined, events: readonly OrderEvent[]): OrderState {
  const after = events.reduce<OrderState | undefined>(applyEvent, before);
  if (!after) throw new Error('an append always has at least one event');
  return after;
}
