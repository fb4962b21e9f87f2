import { Module } from '@nestjs/common';
import { CatalogController } from './catalog.controller';
import { CatalogGatewayService } from './catalog.service';
import { ProductDetailFastPath } from './product-detail.fast-path';
import { ProductDetailReadModel } from './product-detail.read-model';

@Module({
  controllers: [CatalogController],
  providers: [CatalogGatewayService, ProductDetailReadModel, ProductDetailFastPath],
  // `POST /v1/events` asks it whether the products of the events exist.
  exports: [ProductDetailReadModel],
})
export class CatalogGatewayModule {}
