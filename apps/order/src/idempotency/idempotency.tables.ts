import type { TableDefinition } from '@mercato/persistence';

/**
 * Idempotency records of the order app (checkout's `Idempotency-Key`): PK `recordId`, one item
 * per scope (customer) and key. `expiresAtSeconds` is the table's TTL attribute (to be enabled on
 * AWS); DynamoDB deletes expired items only within days, so readers also check `expiresAt`.
 */
export const IDEMPOTENCY_TABLE: TableDefinition = {
  name: 'idempotency',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'recordId', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'recordId', KeyType: 'HASH' }],
};

/** The attribute DynamoDB's TTL deletes by (epoch seconds). */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiresAtSeconds';

/** The tables of the checkout's idempotency records (registered by `IdempotencyModule`; exported for infrastructure). */
export const IDEMPOTENCY_TABLES: readonly TableDefinition[] = [IDEMPOTENCY_TABLE];
