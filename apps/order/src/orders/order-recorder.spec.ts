import { randomUUID } from 'node:crypto';
import { OrderChanged, type EventData } from '@mercato/contracts';
import { InMemoryMessageBus } from '@mercato/messaging';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { placedEvent } from '../../test/support/order-events';
import { DynamoOrderEventStore } from './dynamo-order-event-store';
import { OrderRecorder } from './order-recorder';
import type { OrderEventDraft } from './order.events';
import { ORDER_TABLES } from './orders.tables';
import { OrdersProjection } from './orders.projection';
import { OrdersRepository } from './orders.repository';
import { SellerOrdersRepository } from './seller-orders.repository';

describe('OrderRecorder', () => {
  let dynamo: TestDynamo;
  let bus: InMemoryMessageBus;
  let store: DynamoOrderEventStore;
  let orders: OrdersRepository;
  let recorder: OrderRecorder;
  const seen: EventData<typeof OrderChanged>[] = [];

  beforeAll(async () => {
    dynamo = await startTestDynamo(ORDER_TABLES);
    bus = new InMemoryMessageBus();
    bus.subscribe(OrderChanged, 'spec', async (data) => {
      seen.push(data);
    });
    await bus.start();
    store = new DynamoOrderEventStore(dynamo.doc, dynamo.tables);
    orders = new OrdersRepository(dynamo.doc, dynamo.tables);
    recorder = new OrderRecorder(
      store,
      new OrdersProjection(store, orders, new SellerOrdersRepository(dynamo.doc, dynamo.tables)),
      {},
      bus,
    );
  });

  afterAll(async () => {
    await recorder.onModuleDestroy();
    await bus.close();
    await dynamo.close();
  });

  const placedDraft = (orderId: string): OrderEventDraft => {
    const { orderId: _id, version: _v, ...draft } = placedEvent(orderId);
    return draft;
  };
  const confirmed: OrderEventDraft = {
    type: 'confirmed',
    occurredAt: '2026-01-01T10:00:05.000Z',
    actor: { kind: 'system', id: 'checkout' },
    data: {},
  };

  it('stores, projects and publishes each append, with lines on placed and confirmed', async () => {
    const orderId = `order-${randomUUID()}`;

    const placed = await recorder.record(orderId, 0, [placedDraft(orderId)]);
    const after = await recorder.record(orderId, placed.version, [confirmed], placed);
    await bus.drain();

    expect(after).toMatchObject({ status: 'confirmed', version: 2 });
    expect(await orders.getByOrderId(orderId)).toMatchObject({ status: 'confirmed', version: 2 });
    const mine = seen.filter((message) => message.orderId === orderId);
    expect(mine.map((m) => [m.version, m.type, m.status])).toEqual([
      [1, 'placed', 'pending'],
      [2, 'confirmed', 'confirmed'],
    ]);
    expect(mine[1]).toMatchObject({
      customerId: 'customer-1',
      region: 'us',
      total: { amount: 2_300, currency: 'USD' },
    });
    expect(mine[1].lines).toHaveLength(2);
  });

  it('refuses an append at a stale version and stores nothing', async () => {
    const orderId = `order-${randomUUID()}`;
    await recorder.record(orderId, 0, [placedDraft(orderId)]);

    await expect(recorder.record(orderId, 0, [placedDraft(orderId)])).rejects.toMatchObject({
      code: 'ORDER_VERSION_CONFLICT',
    });
    expect((await recorder.history(orderId)).map((e) => e.version)).toEqual([1]);
  });
});
