import type { TableDefinition } from '@mercato/persistence';

/** Attributes of the carts table shared by the definition and the repository. */
export const CART_ATTRIBUTES = {
  key: 'pk',
  /** Epoch seconds, the table's DynamoDB TTL attribute (enable TTL on it on AWS). */
  expiresAt: 'expiresAt',
} as const;

/**
 * Carts and the customer→cart index in one table under one key `pk`: `cart#<cartId>` holds the
 * cart (`cart`, a map parsed on read, plus `version`, `owner` and `expiresAtMs` that conditions
 * compare) and `customer#<customerId>` holds `cartId`. Every lookup is by key, so no index is
 * needed. Items past `expiresAt` are treated as absent on read and removed by DynamoDB TTL
 * where it runs (not in dynalite, where an expired item stays until overwritten or deleted).
 */
export const CARTS_TABLE: TableDefinition = {
  name: 'carts',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: CART_ATTRIBUTES.key, AttributeType: 'S' }],
  KeySchema: [{ AttributeName: CART_ATTRIBUTES.key, KeyType: 'HASH' }],
};

/** The tables the cart app owns (registered by `CartStoreModule`; exported for infrastructure). */
export const CART_TABLES: readonly TableDefinition[] = [CARTS_TABLE];
