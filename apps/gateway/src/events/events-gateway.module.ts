import { Module } from '@nestjs/common';
import { CatalogGatewayModule } from '../catalog/catalog-gateway.module';
import { EventsBodyLimit } from './events-body-limit';
import { EventsController } from './events.controller';
import { EventsGatewayService } from './events.service';
import { ProductExistence } from './product-existence';

/** The interaction stream's door: `POST /v1/events` (issue 21). */
@Module({
  imports: [CatalogGatewayModule],
  controllers: [EventsController],
  providers: [EventsBodyLimit, EventsGatewayService, ProductExistence],
})
export class EventsGatewayModule {}
