import { Logger } from '@nestjs/common';
import type { OutboxRelay } from '@mercato/persistence';
import type { DynamoOrderEventStore, OrderEventBatchKey } from './dynamo-order-event-store';
import type { OrderState } from './order-state';
import type { OrderEvent } from './order.events';

/**
 * Delivers one append's events (projects them, sends them to the bus keyed by order id, in
 * version order); throws if it could not. `before` is the order before the append when the
 * writer has it (the relay does not, and reads it).
 */
export type PublishOrderEvents = (
  events: readonly OrderEvent[],
  before?: OrderState,
) => Promise<void>;

export interface OrderEventsOutboxOptions {
  /** How often the relay looks for appends left unpublished. */
  intervalMs: number;
  /** An append younger than this belongs to a writer that is still publishing it. */
  graceMs: number;
}

/**
 * The outbox side of the order events (libs/persistence/src/outbox.ts): every append is stored
 * with its pending mark; after it, `publishAppended` publishes the append's events and clears
 * the mark. A writer that dies (or loses the broker) in between leaves the mark, and the relay
 * publishes that append's events, the very events stored, so none is lost or invented. An
 * append may be published twice (at-least-once); consumers dedupe by order id and version.
 */
export class OrderEventsOutbox {
  private readonly logger = new Logger(OrderEventsOutbox.name);

  constructor(
    private readonly store: DynamoOrderEventStore,
    private readonly publish: PublishOrderEvents,
  ) {}

  /**
   * Publishes what one `append` answered and clears its mark. Never throws: a failure leaves
   * the mark for the relay, and the append itself already succeeded.
   */
  async publishAppended(events: readonly OrderEvent[], before?: OrderState): Promise<void> {
    if (events.length === 0) return;
    const key: OrderEventBatchKey = { orderId: events[0].orderId, version: events[0].version };
    try {
      await this.publish(events, before);
      await this.store.clearOutboxMark(key);
    } catch (error) {
      this.logger.warn(
        `events ${key.version}…${events[events.length - 1].version} of order ${key.orderId} not published (the relay will): ${(error as Error).message}`,
      );
    }
  }

  /** The relay that publishes appends whose writer could not (start it; stop it on shutdown). */
  relay(options: OrderEventsOutboxOptions): OutboxRelay {
    return this.store.outboxRelay({
      name: 'order-events',
      ...options,
      deliver: (key) =>
        this.deliver({ orderId: String(key.orderId), version: Number(key.version) }),
    });
  }

  /** Publishes one marked append and clears its mark; throws to be retried on the next pass. */
  private async deliver(key: OrderEventBatchKey): Promise<void> {
    const events = await this.store.readBatch(key);
    if (events.length > 0) await this.publish(events);
    await this.store.clearOutboxMark(key);
  }
}
