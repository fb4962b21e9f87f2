import { Module } from '@nestjs/common';
import { CheckoutModule } from '../checkout/checkout.module';
import { OrdersModule } from '../orders/orders.module';
import { PaymentsModule } from '../payments/payments.module';
import { LifecycleClock } from './lifecycle.clock';
import { LifecycleHandlers } from './lifecycle.handlers';
import { LifecycleService } from './lifecycle.service';
import { LifecycleSweeper } from './lifecycle-sweeper';
import { LifecycleWorker } from './lifecycle-worker';

/**
 * The order after confirmation (docs/order-lifecycle.md): shipments per warehouse, warehouse
 * events, captures per shipment, cancellation, returns and refunds, timeouts. The worker runs
 * after every order change (its own consumer group on `order.order.changed`) and the sweeper on
 * a timer; both need a MessageBus.
 */
@Module({
  imports: [OrdersModule, PaymentsModule, CheckoutModule],
  providers: [
    LifecycleClock,
    LifecycleWorker,
    LifecycleService,
    LifecycleSweeper,
    LifecycleHandlers,
  ],
  exports: [LifecycleService, LifecycleWorker, LifecycleSweeper],
})
export class LifecycleModule {}
