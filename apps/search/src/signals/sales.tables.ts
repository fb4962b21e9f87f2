import type { TableDefinition } from '@mercato/persistence';

/**
 * Units sold per product and UTC day, from confirmed orders: PK `productId`, SK `day`
 * (`YYYY-MM-DD`), attributes `units` (number), `orderIds` (string set: the orders already
 * counted, which makes a redelivered event count once) and `expiresAt` (epoch seconds, for a
 * DynamoDB TTL: a day older than every signal window is never read again). A product's signals
 * are one Query of its partition from the first day of the window.
 */
export const SALES_TABLE: TableDefinition = {
  name: 'search-sales',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'productId', AttributeType: 'S' },
    { AttributeName: 'day', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'productId', KeyType: 'HASH' },
    { AttributeName: 'day', KeyType: 'RANGE' },
  ],
};

/** The sales signals' tables (registered by `SearchModule`). */
export const SALES_TABLES: readonly TableDefinition[] = [SALES_TABLE];
