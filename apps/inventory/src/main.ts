import 'reflect-metadata';
import { runService } from '@mercato/runtime';
import { inventoryConfigSchema } from './inventory.config';
import { InventoryModule } from './inventory.module';

void runService(inventoryConfigSchema, { service: 'inventory', features: [InventoryModule] });
