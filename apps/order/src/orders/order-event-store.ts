import type { OrderEvent, OrderEventDraft } from './order.events';

/**
 * Where an order's events are kept, in version order; the order's only source of truth (the
 * Orders table is a projection of them).
 * - `append(orderId, expectedVersion, drafts)` gives the drafts versions `expectedVersion + 1`…
 *   and stores them, or throws `OrderVersionConflict` (storing nothing) unless the order is at
 *   `expectedVersion` now (0: no events yet). Of concurrent appends at one version exactly one
 *   succeeds.
 * - The events of one append become visible together: a reader sees all of them or none.
 * - `read` answers every event, `readFrom` those from a version on, in version order.
 * Every adapter runs `orderEventStoreContract` from @mercato/testing.
 */
export abstract class OrderEventStore {
  abstract append(
    orderId: string,
    expectedVersion: number,
    drafts: readonly OrderEventDraft[],
  ): Promise<OrderEvent[]>;

  abstract read(orderId: string): Promise<OrderEvent[]>;

  abstract readFrom(orderId: string, fromVersion: number): Promise<OrderEvent[]>;
}
