import { Module } from '@nestjs/common';
import { PersistenceModule } from '@mercato/persistence';
import { FeedsHandlers } from './feeds/feeds.handlers';
import { FeedsRepository } from './feeds/feeds.repository';
import { FeedsService } from './feeds/feeds.service';
import { InventoryClock } from './inventory.clock';
import { InventoryJobs } from './inventory.jobs';
import { ReservationsHandlers } from './reservations/reservations.handlers';
import { ReservationsService } from './reservations/reservations.service';
import { InventorySeedRepository } from './seed/inventory-seed.repository';
import { InventorySeeder } from './seed/inventory-seeder';
import { INVENTORY_TABLES } from './stock/inventory.tables';
import { StockCache } from './stock/stock.cache';
import { StockHandlers } from './stock/stock.handlers';
import { StockPublisher } from './stock/stock.publisher';
import { StockRepository } from './stock/stock.repository';
import { StockService } from './stock/stock.service';

/**
 * The inventory service: stock per SKU and warehouse, reservations with expiry, restocks,
 * transfers, returns, stock feeds and availability over the bus, plus the demo stock seed.
 * Expects the host to provide (globally) ConfigModule, PersistenceModule and MessagingModule roots;
 * registers its tables (`INVENTORY_TABLES`) with the persistence module.
 */
@Module({
  imports: [PersistenceModule.forFeature(INVENTORY_TABLES)],
  providers: [
    InventoryClock,
    StockRepository,
    StockCache,
    StockPublisher,
    StockService,
    StockHandlers,
    ReservationsService,
    ReservationsHandlers,
    FeedsRepository,
    FeedsService,
    FeedsHandlers,
    InventoryJobs,
    InventorySeedRepository,
    InventorySeeder,
  ],
  exports: [StockService, ReservationsService, FeedsService, InventorySeeder],
})
export class InventoryModule {}
