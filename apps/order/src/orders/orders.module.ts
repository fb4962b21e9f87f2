import { Module } from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PersistenceModule, TableNames } from '@mercato/persistence';
import { DynamoOrderEventStore } from './dynamo-order-event-store';
import { OrderEventStore } from './order-event-store';
import { OrderRecorder } from './order-recorder';
import { ORDER_TABLES } from './orders.tables';
import { OrdersProjection } from './orders.projection';
import { OrdersRepository } from './orders.repository';
import { SellerOrdersRepository } from './seller-orders.repository';

/**
 * The event-sourced orders: the `order-events` store, the Orders and seller-orders projection
 * and their read repositories, and `OrderRecorder`, the one way an order changes (append, then project and
 * publish through the outbox). Expects the host's ConfigModule and PersistenceModule roots (and
 * a MessageBus to publish; without one the relay stays off).
 */
@Module({
  imports: [PersistenceModule.forFeature(ORDER_TABLES)],
  providers: [
    {
      provide: DynamoOrderEventStore,
      useFactory: (doc: DynamoDBDocumentClient, tables: TableNames) =>
        new DynamoOrderEventStore(doc, tables),
      inject: [DynamoDBDocumentClient, TableNames],
    },
    { provide: OrderEventStore, useExisting: DynamoOrderEventStore },
    {
      provide: OrdersRepository,
      useFactory: (doc: DynamoDBDocumentClient, tables: TableNames) =>
        new OrdersRepository(doc, tables),
      inject: [DynamoDBDocumentClient, TableNames],
    },
    {
      provide: SellerOrdersRepository,
      useFactory: (doc: DynamoDBDocumentClient, tables: TableNames) =>
        new SellerOrdersRepository(doc, tables),
      inject: [DynamoDBDocumentClient, TableNames],
    },
    {
      provide: OrdersProjection,
      useFactory: (
        events: OrderEventStore,
        orders: OrdersRepository,
        sellerOrders: SellerOrdersRepository,
      ) => new OrdersProjection(events, orders, sellerOrders),
      inject: [OrderEventStore, OrdersRepository, SellerOrdersRepository],
    },
    OrderRecorder,
  ],
  exports: [
    OrderRecorder,
    OrderEventStore,
    OrdersRepository,
    SellerOrdersRepository,
    OrdersProjection,
  ],
})
export class OrdersModule {}
