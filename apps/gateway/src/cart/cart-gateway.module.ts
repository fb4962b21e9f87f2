import { Module } from '@nestjs/common';
import { ShopperGuard } from './cart-caller';
import { CartController } from './cart.controller';
import { CartGatewayService } from './cart.service';

/** The cart routes of the gateway; the cart itself lives in the cart service. */
@Module({ controllers: [CartController], providers: [CartGatewayService, ShopperGuard] })
export class CartGatewayModule {}
