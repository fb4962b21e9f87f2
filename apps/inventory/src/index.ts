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
// The inventory's tables as plain data (key schema, attributes, indexes, billing): the module
// registers them; infrastructure code derives the deployed tables from the same definitions.
export {
  INVENTORY_TABLES,
  INVENTORY_TABLE,
  INVENTORY_INDEXES,
  INVENTORY_SWEEP_ATTRIBUTES,
} from './stock/inventory.tables';
