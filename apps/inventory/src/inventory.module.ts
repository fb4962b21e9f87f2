import { Module } from '@nestjs/common';
import { InventorySeeder } from './seed/inventory-seeder';
import { StockHandlers } from './stock/stock.handlers';
import { StockRepository } from './stock/stock.repository';
import { StockService } from './stock/stock.service';

/**
 * The inventory service: availability per SKU and region over the bus, and the demo stock seed.
 * Expects the host to provide (globally) ConfigModule, PersistenceModule and MessagingModule roots.
 */
@Module({
  providers: [StockRepository, StockService, StockHandlers, InventorySeeder],
  exports: [StockService, InventorySeeder],
})
export class InventoryModule {}
