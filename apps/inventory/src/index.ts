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
