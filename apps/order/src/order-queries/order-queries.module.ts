import { Module } from '@nestjs/common';
import { FraudModule } from '../fraud/fraud.module';
import { OrdersModule } from '../orders/orders.module';
import { PaymentsModule } from '../payments/payments.module';
import { OrderQueriesHandlers } from './order-queries.handlers';
import { OrderQueriesService } from './order-queries.service';

/**
 * The order reads on the bus: customers' orders and trails, admins' lists and details (with
 * payment and fraud decision), sellers' lines. Exports the service so checkout can answer the
 * admins' view after a review.
 */
@Module({
  imports: [OrdersModule, PaymentsModule, FraudModule],
  providers: [OrderQueriesService, OrderQueriesHandlers],
  exports: [OrderQueriesService],
})
export class OrderQueriesModule {}
