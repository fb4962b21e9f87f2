import type { Contract } from './contract';
import { BrowseProducts, GetProduct, ListCategories, ProductChanged } from './catalog.contracts';
import { GetAvailability, StockChanged } from './inventory.contracts';

/**
 * Every contract in one list: the Kafka adapter creates these topics (and their dead-letter
 * twins) up front, and tests check that no two contracts share a topic.
 */
export const ALL_CONTRACTS: readonly Contract[] = [
  ListCategories,
  BrowseProducts,
  GetProduct,
  ProductChanged,
  GetAvailability,
  StockChanged,
];

export const DEAD_LETTER_SUFFIX = '.dlq';
export const deadLetterTopic = (topic: string): string => `${topic}${DEAD_LETTER_SUFFIX}`;
