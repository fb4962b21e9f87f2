import { Module } from '@nestjs/common';
import { CatalogGatewayModule } from './catalog/catalog-gateway.module';
import { IdentityModule } from './identity/identity.module';
import { InventoryGatewayModule } from './inventory/inventory-gateway.module';
import { PromotionsGatewayModule } from './promotions/promotions-gateway.module';
import { SellerGatewayModule } from './seller/seller-gateway.module';

/** The public REST API of docs/api.md: identity, and fan-out to the services over the bus. */
@Module({
  imports: [
    IdentityModule,
    CatalogGatewayModule,
    InventoryGatewayModule,
    PromotionsGatewayModule,
    SellerGatewayModule,
  ],
})
export class GatewayModule {}
