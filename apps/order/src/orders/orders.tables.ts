import {
  OUTBOX_ATTRIBUTE_DEFINITIONS,
  OUTBOX_GSI,
  type TableDefinition,
} from '@mercato/persistence';

export const ORDER_INDEXES = {
  byOrderId: 'byOrderId',
  byStatus: 'byStatus',
  byStatusAll: 'byStatusAll',
  placedByCustomer: 'placedByCustomer',
} as const;

/**
 * Orders: PK `customerId`, SK `orderKey` (`<isoDate>#<orderId>`): the projection of the order
 * events (`OrdersProjection`) that order lists and an order's detail read (`OrdersRepository`).
 * `version` is the latest event projected. Indexes:
 * - GSI `byOrderId`: one order by id.
 * - LSI `byStatus` (SK `statusKey`, `<status>#<orderKey>`: DynamoDB leaves the order of index
 *   items with equal sort keys undefined, so a plain `status` key could not list one status
 *   newest first, nor page it stably): one customer's orders of one status.
 * - LSI `placedByCustomer` (SK `placedKey` = `orderKey`, sparse: written only once the order was
 *   placed, see `wasPlaced`): the customer's own list, exact pages without a filter that would
 *   skip their failed checkouts after the page limit.
 * - GSI `byStatusAll` (PK `status`, SK `orderKey`): the admins' list of one status across
 *   customers. One partition per status takes every write of every order of that status (each
 *   append re-projects the item: ~8 index writes per checkout), and its time-ordered key always
 *   writes at the tail, so adaptive capacity cannot split it: past ~1,000 index writes/s per
 *   status (~100 checkouts/s) writes throttle. Far above today's load; the way on is a shard
 *   suffix (`<status>#<hash(orderId) mod N>`) read by N queries merged on `orderKey`.
 */
export const ORDERS_TABLE: TableDefinition = {
  name: 'orders',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'customerId', AttributeType: 'S' },
    { AttributeName: 'orderKey', AttributeType: 'S' },
    { AttributeName: 'orderId', AttributeType: 'S' },
    { AttributeName: 'statusKey', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'placedKey', AttributeType: 'S' },
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
    {
      IndexName: ORDER_INDEXES.byStatusAll,
      KeySchema: [
        { AttributeName: 'status', KeyType: 'HASH' },
        { AttributeName: 'orderKey', KeyType: 'RANGE' },
      ],
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
    {
      IndexName: ORDER_INDEXES.placedByCustomer,
      KeySchema: [
        { AttributeName: 'customerId', KeyType: 'HASH' },
        { AttributeName: 'placedKey', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

export const SELLER_ORDER_INDEXES = { byStatus: 'byStatus' } as const;

/**
 * Seller orders: PK `sellerId`, SK `orderKey`, one item per seller of a placed order holding
 * that seller's lines only (`SellerOrdersRepository`), LSI `byStatus` on `statusKey` as in
 * Orders. Written by the same projection as Orders, conditional on `version` like it; a
 * checkout that was never placed writes none (`wasPlaced`), and a placed order never returns to
 * pending or failed, so no item has to be taken back.
 */
export const SELLER_ORDERS_TABLE: TableDefinition = {
  name: 'seller-orders',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'sellerId', AttributeType: 'S' },
    { AttributeName: 'orderKey', AttributeType: 'S' },
    { AttributeName: 'statusKey', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'sellerId', KeyType: 'HASH' },
    { AttributeName: 'orderKey', KeyType: 'RANGE' },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: SELLER_ORDER_INDEXES.byStatus,
      KeySchema: [
        { AttributeName: 'sellerId', KeyType: 'HASH' },
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
export const ORDER_TABLES: readonly TableDefinition[] = [
  ORDERS_TABLE,
  SELLER_ORDERS_TABLE,
  ORDER_EVENTS_TABLE,
];
