import { Module } from '@nestjs/common';
import { CartGatewayModule } from './cart/cart-gateway.module';
import { CatalogGatewayModule } from './catalog/catalog-gateway.module';
import { CheckoutGatewayModule } from './checkout/checkout-gateway.module';
import { EventsGatewayModule } from './events/events-gateway.module';
import { FulfillmentGatewayModule } from './fulfillment/fulfillment-gateway.module';
import { IdentityModule } from './identity/identity.module';
import { InventoryGatewayModule } from './inventory/inventory-gateway.module';
import { OrdersGatewayModule } from './orders/orders-gateway.module';
import { PromotionsGatewayModule } from './promotions/promotions-gateway.module';
import { SearchGatewayModule } from './search/search-gateway.module';
import { SellerGatewayModule } from './seller/seller-gateway.module';

/** The public REST API of docs/api.md: identity, and fan-out to the services over the bus. */
@Module({
  imports: [
    IdentityModule,
    CatalogGatewayModule,
    InventoryGatewayModule,
    PromotionsGatewayModule,
    SellerGatewayModule,
    CartGatewayModule,
    CheckoutGatewayModule,
    OrdersGatewayModule,
    FulfillmentGatewayModule,
    SearchGatewayModule,
    EventsGatewayModule,
  ],
})
export class GatewayModule {}
