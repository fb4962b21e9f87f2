import {
  OUTBOX_ATTRIBUTE_DEFINITIONS,
  OUTBOX_GSI,
  type TableDefinition,
} from '@mercato/persistence';

export const ORDER_INDEXES = { byOrderId: 'byOrderId', byStatus: 'byStatus' } as const;

/**
 * Orders: PK `customerId`, SK `orderKey` (`<isoDate>#<orderId>`), GSI `byOrderId`, LSI
 * `byStatus` (SK `statusKey`, `<status>#<orderKey>`: DynamoDB leaves the order of index items
 * with equal sort keys undefined, so a plain `status` key could not list one status newest
 * first, nor page it stably): the projection of the order events (`OrdersProjection`) that a customer's order
 * list and an order's detail read (`OrdersRepository`). `version` is the latest event projected.
 */
export const ORDERS_TABLE: TableDefinition = {
  name: 'orders',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'customerId', AttributeType: 'S' },
    { AttributeName: 'orderKey', AttributeType: 'S' },
    { AttributeName: 'orderId', AttributeType: 'S' },
    { AttributeName: 'statusKey', AttributeType: 'S' },
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
        { AttributeName: 'statusKey', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

/**
 * Order events: PK `orderId`, SK `version`, one item per append holding that append's events
 * (`events`, versions `version`…`lastVersion`), so the events of one append become visible
 * together without transactions. Items are written once, with the outbox mark; `byOutbox`
 * (sparse) lets a relay publish the appends whose writer died before publishing them.
 */
export const ORDER_EVENTS_TABLE: TableDefinition = {
  name: 'order-events',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'orderId', AttributeType: 'S' },
    { AttributeName: 'version', AttributeType: 'N' },
    ...OUTBOX_ATTRIBUTE_DEFINITIONS,
  ],
  KeySchema: [
    { AttributeName: 'orderId', KeyType: 'HASH' },
    { AttributeName: 'version', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [OUTBOX_GSI],
};

/** The tables the order app owns (registered by `OrderModule`; exported for infrastructure). */
export const ORDER_TABLES: readonly TableDefinition[] = [ORDERS_TABLE, ORDER_EVENTS_TABLE];
