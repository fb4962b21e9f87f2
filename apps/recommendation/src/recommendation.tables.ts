import type { TableDefinition } from '@mercato/persistence';
import { INTERACTIONS_TABLES } from './interactions/interactions.tables';

/** Every table the recommendation app owns, for the store and for infrastructure. */
export const RECOMMENDATION_TABLES: readonly TableDefinition[] = [...INTERACTIONS_TABLES];
