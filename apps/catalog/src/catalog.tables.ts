import type { TableDefinition } from '@mercato/persistence';
import { PRODUCTS_TABLE } from './products/products.tables';
import { PROMOTIONS_TABLE } from './promotions/promotions.tables';

/** The tables the catalog owns (registered by `CatalogModule`; exported for infrastructure). */
export const CATALOG_TABLES: readonly TableDefinition[] = [PRODUCTS_TABLE, PROMOTIONS_TABLE];
