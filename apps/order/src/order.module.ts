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
 * store (`IdempotencyModule`) and fraud screening (`FraudModule`); the routes arrive with
 * checkout. Every table of the app is registered here, so every store creates them.
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
