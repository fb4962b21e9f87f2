import { Module } from '@nestjs/common';
import {
  AdminOrdersController,
  CustomerOrdersController,
  SellerOrdersController,
} from './orders.controller';
import { OrdersGatewayService } from './orders.service';

/** Order reads for customers, admins and sellers, and the fraud review of held orders. */
@Module({
  controllers: [CustomerOrdersController, AdminOrdersController, SellerOrdersController],
  providers: [OrdersGatewayService],
})
export class OrdersGatewayModule {}
