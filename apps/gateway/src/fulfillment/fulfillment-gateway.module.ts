import { Module } from '@nestjs/common';
import { FulfillmentController } from './fulfillment.controller';
import { FulfillmentGatewayService } from './fulfillment.service';

/** Warehouse events and return receipts, for warehouse systems (partner keys) and admins. */
@Module({
  controllers: [FulfillmentController],
  providers: [FulfillmentGatewayService],
})
export class FulfillmentGatewayModule {}
