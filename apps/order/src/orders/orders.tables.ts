import type { TableDefinition } from '@mercato/persistence';

export const ORDER_INDEXES = { byOrderId: 'byOrderId', byStatus: 'byStatus' } as const;

/**
 * Orders: PK `customerId`, SK `orderKey` (`<isoDate>#<orderId>`), GSI `byOrderId`, LSI
 * `byStatus`. The order app's design; its repositories arrive with the orders issue, and the
 * table is registered (and created) already so that every store has it.
 */
export const ORDERS_TABLE: TableDefinition = {
  name: 'orders',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'customerId', AttributeType: 'S' },
    { AttributeName: 'orderKey', AttributeType: 'S' },
    { AttributeName: 'orderId', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'customerId', KeyType: 'HASH' },
    { AttributeName: 'orderKey', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: ORDER_INDEXES.byOrderId,
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: ORDER_INDEXES.byStatus,
      KeySchema: [
        { AttributeName: 'customerId', KeyType: 'HASH' },
        { AttributeName: 'status', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

/** The tables the order app owns (registered by `OrderModule`; exported for infrastructure). */
export const ORDER_TABLES: readonly TableDefinition[] = [ORDERS_TABLE];
