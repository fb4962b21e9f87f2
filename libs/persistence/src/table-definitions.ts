import type { GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { OUTBOX_ATTRIBUTES, OUTBOX_INDEX } from './outbox';
import type { TableDefinition, TableName } from './tables';

/**
 * Index names of the Products table. Browse reads "listing" items: one per product and per
 * listing key (`c#<categoryId>` for the product's category and each ancestor, `c#all`, and
 * `b#<brand>`), so every browse is a single GSI Query on `listKey` sorted by the requested order.
 */
export const PRODUCT_INDEXES = {
  priceUs: 'byListingPriceUs',
  priceEu: 'byListingPriceEu',
  priceAp: 'byListingPriceAp',
  newest: 'byListingNewest',
  rating: 'byListingRating',
} as const;

export const CUSTOMER_INDEXES = { byRegion: 'byRegion' } as const;
export const ORDER_INDEXES = { byOrderId: 'byOrderId', byStatus: 'byStatus' } as const;
export const INVENTORY_INDEXES = { bySweep: 'bySweep' } as const;
/** Attributes of the Inventory table's sparse sweep index (set and removed by the inventory app). */
export const INVENTORY_SWEEP_ATTRIBUTES = { shard: 'sweepShard', at: 'sweepAt' } as const;

/**
 * The sparse index of the transactional outbox (`outbox.ts`): only items whose last change has
 * not been published yet carry its keys, so the relay's Query reads just those.
 */
const outboxIndex: GlobalSecondaryIndex = {
  IndexName: OUTBOX_INDEX,
  KeySchema: [
    { AttributeName: OUTBOX_ATTRIBUTES.shard, KeyType: 'HASH' },
    { AttributeName: OUTBOX_ATTRIBUTES.since, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'KEYS_ONLY' },
};
const outboxAttributeDefinitions = [
  { AttributeName: OUTBOX_ATTRIBUTES.shard, AttributeType: 'S' },
  { AttributeName: OUTBOX_ATTRIBUTES.since, AttributeType: 'N' },
] as const;

const listingIndex = (name: string, sortKey: string): GlobalSecondaryIndex => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: 'listKey', KeyType: 'HASH' },
    { AttributeName: sortKey, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
});

/** Key design per table (ARCHITECTURE.md "Data"). All tables are on-demand (PAY_PER_REQUEST). */
export const TABLE_DEFINITIONS: Readonly<Record<TableName, TableDefinition>> = {
  products: {
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'productId', AttributeType: 'S' },
      { AttributeName: 'variantId', AttributeType: 'S' },
      { AttributeName: 'listKey', AttributeType: 'S' },
      { AttributeName: 'priceUs', AttributeType: 'N' },
      { AttributeName: 'priceEu', AttributeType: 'N' },
      { AttributeName: 'priceAp', AttributeType: 'N' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
      { AttributeName: 'ratingScore', AttributeType: 'N' },
      ...outboxAttributeDefinitions,
    ],
    KeySchema: [
      { AttributeName: 'productId', KeyType: 'HASH' },
      { AttributeName: 'variantId', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      listingIndex(PRODUCT_INDEXES.priceUs, 'priceUs'),
      listingIndex(PRODUCT_INDEXES.priceEu, 'priceEu'),
      listingIndex(PRODUCT_INDEXES.priceAp, 'priceAp'),
      listingIndex(PRODUCT_INDEXES.newest, 'createdAt'),
      listingIndex(PRODUCT_INDEXES.rating, 'ratingScore'),
      outboxIndex,
    ],
  },
  customers: {
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'customerId', AttributeType: 'S' },
      { AttributeName: 'profileType', AttributeType: 'S' },
      { AttributeName: 'region', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'customerId', KeyType: 'HASH' },
      { AttributeName: 'profileType', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: CUSTOMER_INDEXES.byRegion,
        KeySchema: [
          { AttributeName: 'region', KeyType: 'HASH' },
          { AttributeName: 'customerId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  },
  orders: {
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
  },
  /**
   * One item per SKU: `warehouses` maps each warehouse id to `{ onHand, reserved, available }`,
   * so a reservation, restock or a transfer between two warehouses is one conditional UpdateItem.
   * The sparse `bySweep` index holds only items with work for the inventory sweeper (an open hold
   * to expire or an operation record to prune), keyed by shard and the time that work is due.
   */
  inventory: {
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'sku', AttributeType: 'S' },
      { AttributeName: INVENTORY_SWEEP_ATTRIBUTES.shard, AttributeType: 'S' },
      { AttributeName: INVENTORY_SWEEP_ATTRIBUTES.at, AttributeType: 'N' },
      ...outboxAttributeDefinitions,
    ],
    KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      outboxIndex,
      {
        IndexName: INVENTORY_INDEXES.bySweep,
        KeySchema: [
          { AttributeName: INVENTORY_SWEEP_ATTRIBUTES.shard, KeyType: 'HASH' },
          { AttributeName: INVENTORY_SWEEP_ATTRIBUTES.at, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  },
  /**
   * Promotions and coupons of the catalog: PK `pk`, SK `sk`. The layout of the items is the
   * promotions repository's (apps/catalog/src/promotions).
   */
  promotions: {
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  },
};
