import 'reflect-metadata';
import { runService } from '@mercato/runtime';
import { catalogConfigSchema } from './catalog.config';
import { CatalogModule } from './catalog.module';

void runService(catalogConfigSchema, { service: 'catalog', features: [CatalogModule] });
