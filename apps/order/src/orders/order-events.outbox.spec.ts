import { randomUUID } from 'node:crypto';
import { findPending } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { DynamoOrderEventStore } from './dynamo-order-event-store';
import { OrderEventsOutbox } from './order-events.outbox';
import type { OrderEvent, OrderEventDraft } from './order.events';
import { ORDER_EVENTS_TABLE, ORDER_TABLES } from './orders.tables';

const hold: OrderEventDraft = {
  type: 'put_on_hold',
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { kind: 'system', id: 'fraud' },
  reason: 'review',
  data: { reason: 'review' },
};

describe('OrderEventsOutbox', () => {
  let dynamo: TestDynamo;
  let store: DynamoOrderEventStore;
  /** What reached the "bus", one entry per publish. */
  let published: OrderEvent[][];
  let brokerDown: boolean;
  let outbox: OrderEventsOutbox;

  beforeAll(async () => {
    dynamo = await startTestDynamo(ORDER_TABLES);
    store = new DynamoOrderEventStore(dynamo.doc, dynamo.tables);
  });

  beforeEach(() => {
    published = [];
    brokerDown = false;
    outbox = new OrderEventsOutbox(store, async (events) => {
      if (brokerDown) throw new Error('broker unreachable');
      published.push([...events]);
    });
  });

  afterAll(async () => {
    await dynamo.close();
  });

  /** Marks of this table's outbox, of every age. */
  const marks = async () =>
    findPending(dynamo.doc, dynamo.tables.of(ORDER_EVENTS_TABLE), Date.now() + 1);
  const relayOnce = () => outbox.relay({ intervalMs: 60_000, graceMs: -1_000 }).runOnce();

  it('publishes an append after it is stored and clears its mark', async () => {
    const orderId = `order-${randomUUID()}`;
    const appended = await store.append(orderId, 0, [hold, hold]);

    await outbox.publishAppended(appended);

    expect(published).toEqual([appended]);
    expect((await marks()).filter((key) => key.orderId === orderId)).toEqual([]);
  });

  it('leaves the mark when publishing fails, and the relay publishes the stored events', async () => {
    const orderId = `order-${randomUUID()}`;
    const appended = await store.append(orderId, 0, [hold]);
    brokerDown = true;

    await outbox.publishAppended(appended);
    expect((await marks()).filter((key) => key.orderId === orderId)).toHaveLength(1);

    brokerDown = false;
    await relayOnce();
    expect(published).toContainEqual(appended);
    expect((await marks()).filter((key) => key.orderId === orderId)).toEqual([]);
  });

  it('publishes for a writer that died between its append and its publish', async () => {
    const orderId = `order-${randomUUID()}`;
    const first = await store.append(orderId, 0, [hold]);
    const second = await store.append(orderId, 1, [hold, hold]);
    // No publishAppended: the writer is gone.

    await relayOnce();

    expect(published).toEqual(expect.arrayContaining([first, second]));
    expect(published.flat().filter((event) => event.orderId === orderId)).toHaveLength(3);
    expect((await marks()).filter((key) => key.orderId === orderId)).toEqual([]);
  });
});
