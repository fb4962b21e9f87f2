export { InventoryModule } from './inventory.module';
export {
  inventoryConfigShape,
  inventoryConfigSchema,
  type InventoryConfig,
} from './inventory.config';
export {
  InventorySeeder,
  type InventorySeedOptions,
  type InventorySeedResult,
} from './seed/inventory-seeder';
export { StockService } from './stock/stock.service';
export { ReservationsService } from './reservations/reservations.service';
export { FeedsService } from './feeds/feeds.service';
export { InventoryErrorCode, InventoryException } from './inventory.exception';
