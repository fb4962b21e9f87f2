import { Test, type TestingModule } from '@nestjs/testing';
import { CacheModule } from '@mercato/cache';
import { ConfigModule } from '@mercato/config';
import {
  GetCustomerOrder,
  GetOrderForAdmin,
  GetOrderHistory,
  ListCustomerOrders,
  ListOrdersForAdmin,
  ListSellerOrders,
} from '@mercato/contracts';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { draftOf, placedEvent, sellerLine, step } from '../../test/support/order-events';
import { OrderRecorder } from '../orders/order-recorder';
import { OrderQueriesModule } from './order-queries.module';

describe('order reads over the bus (OrderQueriesModule)', () => {
  let dynamo: TestDynamo;
  let moduleRef: TestingModule;
  let bus: MessageBus;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ...dynamo.config }),
        PersistenceModule.forRoot(dynamo.config),
        CacheModule.forRoot({ MERCATO_CACHE: 'memory' }),
        MessagingModule.forRoot({
          MERCATO_BUS: 'memory',
          BUS_MAX_ATTEMPTS: 1,
          BUS_RETRY_BACKOFF_MS: 1,
        }),
        OrderQueriesModule,
      ],
    })
      .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
      .compile();
    await moduleRef.init();
    bus = moduleRef.get(MessageBus);
    const recorder = moduleRef.get(OrderRecorder);
    const placed = placedEvent('order-bus-1', {
      customerId: 'customer-bus',
      lines: [sellerLine('A-1', 'seller-bus', 2), sellerLine('B-1', 'seller-other')],
    });
    const state = await recorder.record('order-bus-1', 0, [draftOf(placed)]);
    await recorder.record('order-bus-1', 1, [draftOf(step('order-bus-1', 2, 'confirmed'))], state);
  }, 60_000);

  afterAll(async () => {
    await moduleRef?.close();
    await dynamo?.close();
  });

  it('answers a customer’s list and order, in the contracts’ shapes', async () => {
    const page = await bus.request(ListCustomerOrders, { customerId: 'customer-bus', limit: 20 });
    expect(page).toEqual({
      items: [expect.objectContaining({ orderId: 'order-bus-1', itemCount: 3 })],
      nextCursor: null,
    });

    const order = await bus.request(GetCustomerOrder, {
      customerId: 'customer-bus',
      orderId: 'order-bus-1',
    });
    expect(order).toMatchObject({ status: 'confirmed', payment: { status: 'none' } });
  });

  it('answers 404 ORDER_NOT_FOUND for another customer’s order and trail', async () => {
    const request = { customerId: 'someone-else', orderId: 'order-bus-1' };

    await expect(bus.request(GetCustomerOrder, request)).rejects.toMatchObject({
      status: 404,
      code: 'ORDER_NOT_FOUND',
    });
    await expect(bus.request(GetOrderHistory, request)).rejects.toMatchObject({
      status: 404,
      code: 'ORDER_NOT_FOUND',
    });
  });

  it('answers admins and sellers', async () => {
    const admins = await bus.request(ListOrdersForAdmin, { status: 'confirmed', limit: 20 });
    expect(admins.items.map((item) => item.orderId)).toEqual(['order-bus-1']);

    const detail = await bus.request(GetOrderForAdmin, { orderId: 'order-bus-1' });
    expect(detail).toMatchObject({ payments: [], fraud: null });
    expect(detail.timeline.map((entry) => entry.type)).toEqual(['placed', 'confirmed']);

    const seller = await bus.request(ListSellerOrders, { sellerId: 'seller-bus', limit: 20 });
    expect(seller.items).toEqual([
      expect.objectContaining({
        orderId: 'order-bus-1',
        items: [expect.objectContaining({ sku: 'A-1', quantity: 2 })],
      }),
    ]);
  });
});
