import type { TableDefinition } from '@mercato/persistence';
import { SEARCH_ANALYTICS_TABLES } from './analytics/search-analytics.tables';
import { SALES_TABLES } from './signals/sales.tables';

/** Every table the search app owns, for the store and for infrastructure. */
export const SEARCH_TABLES: readonly TableDefinition[] = [
  ...SALES_TABLES,
  ...SEARCH_ANALYTICS_TABLES,
];
