import { Module } from '@nestjs/common';
import { FraudModule } from './fraud/fraud.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { OrderQueriesModule } from './order-queries/order-queries.module';
import { OrdersModule } from './orders/orders.module';
import { PaymentsModule } from './payments/payments.module';

/**
 * The order service: checkout, payments, fraud scoring, the event-sourced order saga and
 * fulfilment (docs/architecture.md, "Roadmap"). Built so far are the parts checkout stands on,
 * each behind its port: the payment provider (`PaymentsModule`), the checkout's idempotency
 * store (`IdempotencyModule`), fraud screening (`FraudModule`) and the event-sourced orders
 * (`OrdersModule`: event store, projection, read repository, `OrderRecorder`). Each part
 * registers its own tables, so every store creates them all.
 */
@Module({
  imports: [OrdersModule, PaymentsModule, IdempotencyModule, FraudModule, OrderQueriesModule],
})
export class OrderModule {}
