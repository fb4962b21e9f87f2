import { Module } from '@nestjs/common';
import { CatalogController } from './catalog.controller';
import { CatalogGatewayService } from './catalog.service';

@Module({ controllers: [CatalogController], providers: [CatalogGatewayService] })
export class CatalogGatewayModule {}
