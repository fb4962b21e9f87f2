import { Module } from '@nestjs/common';
import { SellerProductsController } from './seller-products.controller';
import { SellerProductsService } from './seller-products.service';

/** Seller routes of the gateway: product writes and the bulk product feed. */
@Module({ controllers: [SellerProductsController], providers: [SellerProductsService] })
export class SellerGatewayModule {}
