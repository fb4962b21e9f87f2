import type { Contract } from './contract';
import {
  BrowseProducts,
  CreateProduct,
  GetProduct,
  ImportProductFeed,
  ListCategories,
  ProductChanged,
  UpdateProduct,
} from './catalog.contracts';
import {
  ApplyStockFeed,
  CommitReservation,
  GetAvailability,
  ReleaseReservation,
  ReserveStock,
  RestockStock,
  ReturnStock,
  StockChanged,
  TransferStock,
} from './inventory.contracts';
import { CART_CONTRACTS } from './cart.contracts';
import { ORDER_CONTRACTS } from './order.contracts';
import { FULFILLMENT_CONTRACTS } from './fulfillment.contracts';
import { PROMOTIONS_CONTRACTS } from './promotions.contracts';
import { SEARCH_CONTRACTS } from './search.contracts';
import { RECOMMENDATION_CONTRACTS } from './recommendation.contracts';

/**
 * Every contract in one list: the Kafka adapter creates these topics (and their dead-letter
 * twins) up front, and tests check that no two contracts share a topic.
 */
export const ALL_CONTRACTS: readonly Contract[] = [
  ListCategories,
  BrowseProducts,
  GetProduct,
  ProductChanged,
  CreateProduct,
  UpdateProduct,
  ImportProductFeed,
  GetAvailability,
  StockChanged,
  ReserveStock,
  CommitReservation,
  ReleaseReservation,
  RestockStock,
  TransferStock,
  ReturnStock,
  ApplyStockFeed,
  ...PROMOTIONS_CONTRACTS,
  ...CART_CONTRACTS,
  ...ORDER_CONTRACTS,
  ...FULFILLMENT_CONTRACTS,
  ...SEARCH_CONTRACTS,
  ...RECOMMENDATION_CONTRACTS,
];

export const DEAD_LETTER_SUFFIX = '.dlq';
export const deadLetterTopic = (topic: string): string => `${topic}${DEAD_LETTER_SUFFIX}`;
