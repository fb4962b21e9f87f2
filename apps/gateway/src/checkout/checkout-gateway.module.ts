import { Module } from '@nestjs/common';
import { CheckoutController } from './checkout.controller';
import { CheckoutGatewayService } from './checkout.service';

/** The checkout route of the gateway; orders are placed by the order service. */
@Module({ controllers: [CheckoutController], providers: [CheckoutGatewayService] })
export class CheckoutGatewayModule {}
