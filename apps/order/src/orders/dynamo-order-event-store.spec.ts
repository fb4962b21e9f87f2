import { findPending } from '@mercato/persistence';
import { orderEventStoreContract, startTestDynamo, type TestDynamo } from '@mercato/testing';
import { DynamoOrderEventStore } from './dynamo-order-event-store';
import type { OrderEventDraft } from './order.events';
import { ORDER_EVENTS_TABLE, ORDER_TABLES } from './orders.tables';

describe('DynamoOrderEventStore', () => {
  let dynamo: TestDynamo;
  let store: DynamoOrderEventStore;

  beforeAll(async () => {
    dynamo = await startTestDynamo(ORDER_TABLES);
    store = new DynamoOrderEventStore(dynamo.doc, dynamo.tables);
  });

  afterAll(async () => {
    await dynamo.close();
  });

  orderEventStoreContract('DynamoDB (dynalite)', async () => store);

  describe('outbox', () => {
    const confirmed: OrderEventDraft = {
      type: 'confirmed',
      occurredAt: '2026-01-01T00:00:00.000Z',
      actor: { kind: 'system', id: 'checkout' },
      data: {},
    };
    const pendingKeys = async () =>
      findPending(dynamo.doc, dynamo.tables.of(ORDER_EVENTS_TABLE), Date.now() + 1);

    it('marks every append until its events are published, then the mark is cleared', async () => {
      const orderId = `order-outbox-${Date.now()}`;
      await store.append(orderId, 0, [confirmed, confirmed]);
      await store.append(orderId, 2, [confirmed]);

      const marked = (await pendingKeys()).filter((key) => key.orderId === orderId);
      expect(marked).toEqual(
        expect.arrayContaining([
          { orderId, version: 1 },
          { orderId, version: 3 },
        ]),
      );
      expect((await store.readBatch({ orderId, version: 1 })).map((e) => e.version)).toEqual([
        1, 2,
      ]);

      await store.clearOutboxMark({ orderId, version: 1 });
      const left = (await pendingKeys()).filter((key) => key.orderId === orderId);
      expect(left).toEqual([{ orderId, version: 3 }]);
    });

    it('hands the relay each unpublished append, which it can publish and clear', async () => {
      const orderId = `order-relay-${Date.now()}`;
      await store.append(orderId, 0, [confirmed]);
      const delivered: number[] = [];
      const relay = store.outboxRelay({
        name: 'order-events',
        intervalMs: 60_000,
        graceMs: -1_000,
        deliver: async (key) => {
          const batchKey = { orderId: String(key.orderId), version: Number(key.version) };
          if (batchKey.orderId !== orderId) return;
          delivered.push(...(await store.readBatch(batchKey)).map((event) => event.version));
          await store.clearOutboxMark(batchKey);
        },
      });

      await relay.runOnce();

      expect(delivered).toEqual([1]);
      expect((await pendingKeys()).filter((key) => key.orderId === orderId)).toEqual([]);
    });
  });
});
