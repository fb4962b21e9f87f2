import { Module } from '@nestjs/common';
import { AdminInventoryController } from './inventory.controller';
import { InventoryGatewayService } from './inventory.service';
import { StockFeedController } from './stock-feed.controller';

/** Stock routes of the gateway: admin restock/transfer and the partner stock feed. */
@Module({
  controllers: [AdminInventoryController, StockFeedController],
  providers: [InventoryGatewayService],
})
export class InventoryGatewayModule {}
