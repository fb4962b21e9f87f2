import { Module } from '@nestjs/common';
import { PersistenceModule } from '@mercato/persistence';
import { FraudModule } from './fraud/fraud.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { ORDER_TABLES } from './orders/orders.tables';
import { PaymentsModule } from './payments/payments.module';

/**
 * The order service: checkout, payments, fraud scoring, the event-sourced order saga and
 * fulfilment (docs/architecture.md, "Roadmap"). Built so far are the parts checkout stands on,
 * each behind its port: the payment provider (`PaymentsModule`), the checkout's idempotency
 * store (`IdempotencyModule`), fraud screening (`FraudModule`) and the event-sourced order's
 * storage (orders/: event store, projection, read repository; not provided yet). The routes
 * arrive with checkout. Each part registers its own tables, the orders' are registered here,
 * so every store creates them all.
 */
@Module({
  imports: [
    PersistenceModule.forFeature(ORDER_TABLES),
    PaymentsModule,
    IdempotencyModule,
    FraudModule,
  ],
})
export class OrderModule {}
