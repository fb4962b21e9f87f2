import { Module } from '@nestjs/common';
import { CheckoutModule } from './checkout/checkout.module';
import { FraudModule } from './fraud/fraud.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { OrderQueriesModule } from './order-queries/order-queries.module';
import { OrdersModule } from './orders/orders.module';
import { PaymentsModule } from './payments/payments.module';

/**
 * The order service: checkout, payments, fraud scoring, the event-sourced order saga and
 * fulfilment (docs/architecture.md, "Roadmap"). Built so far are the parts checkout stands on,
 * each behind its port: the payment provider (`PaymentsModule`), the checkout's idempotency
 * store (`IdempotencyModule`), fraud screening (`FraudModule`) and the event-sourced orders
 * (`OrdersModule`: event store, projection, read repository, `OrderRecorder`); and checkout on
 * them (`CheckoutModule`: PlaceOrder, the fraud review, recovery of unfinished checkouts), and
 * the order reads (`OrderQueriesModule`); after confirmation the lifecycle (`LifecycleModule`:
 * shipments, warehouse events, captures, cancellation, returns, refunds, timeouts). Each
 * part registers its own tables, so every store creates them all.
 */
@Module({
  imports: [
    OrdersModule,
    PaymentsModule,
    IdempotencyModule,
    FraudModule,
    OrderQueriesModule,
    CheckoutModule,
    LifecycleModule,
  ],
})
export class OrderModule {}
