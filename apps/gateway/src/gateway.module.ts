import { Module } from '@nestjs/common';
import { CatalogGatewayModule } from './catalog/catalog-gateway.module';
import { IdentityModule } from './identity/identity.module';

/** The public REST API of API.md: identity, and fan-out to the services over the bus. */
@Module({ imports: [IdentityModule, CatalogGatewayModule] })
export class GatewayModule {}
