import { Module } from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PersistenceModule, TableNames } from '@mercato/persistence';
import { FraudModule } from '../fraud/fraud.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { OrderQueriesModule } from '../order-queries/order-queries.module';
import { OrdersModule } from '../orders/orders.module';
import { PaymentsModule } from '../payments/payments.module';
import { CheckoutRecovery } from './checkout-recovery';
import { CheckoutSteps } from './checkout-steps';
import { CheckoutClock } from './checkout.clock';
import { CheckoutHandlers } from './checkout.handlers';
import { CheckoutService } from './checkout.service';
import { CHECKOUT_TABLES } from './checkout.tables';
import { CheckoutsRepository } from './checkouts.repository';
import { OrderReviewService } from './order-review.service';

/**
 * Checkout (PlaceOrder), the fraud review (ReviewHeldOrder) and the recovery job of unfinished
 * checkouts, over the orders, payments, idempotency and fraud parts. Registers the `checkouts`
 * table. Expects the host's ConfigModule, PersistenceModule, CacheModule roots and a MessageBus
 * (the recovery job starts only with one).
 */
@Module({
  imports: [
    PersistenceModule.forFeature(CHECKOUT_TABLES),
    OrdersModule,
    PaymentsModule,
    IdempotencyModule,
    FraudModule,
    OrderQueriesModule,
  ],
  providers: [
    CheckoutClock,
    {
      provide: CheckoutsRepository,
      useFactory: (doc: DynamoDBDocumentClient, tables: TableNames) =>
        new CheckoutsRepository(doc, tables),
      inject: [DynamoDBDocumentClient, TableNames],
    },
    CheckoutSteps,
    CheckoutService,
    OrderReviewService,
    CheckoutRecovery,
    CheckoutHandlers,
  ],
  exports: [CheckoutService, OrderReviewService, CheckoutRecovery, CheckoutSteps],
})
export class CheckoutModule {}
