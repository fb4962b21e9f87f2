import type { GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import {
  OUTBOX_ATTRIBUTE_DEFINITIONS,
  OUTBOX_GSI,
  type TableDefinition,
} from '@mercato/persistence';

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

const listingIndex = (name: string, sortKey: string): GlobalSecondaryIndex => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: 'listKey', KeyType: 'HASH' },
    { AttributeName: sortKey, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
});

/**
 * Products: PK `productId`, SK `variantId`. One partition per product holds the meta item
 * (`#product`), one item per variant and the listing items; the `#categories` partition holds
 * the category tree, `sku#<SKU>` items the SKU claims (docs/architecture.md, "Data"). The
 * listing GSIs serve browse; `byOutbox` (sparse) serves the products outbox relay.
 */
export const PRODUCTS_TABLE: TableDefinition = {
  name: 'products',
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
    ...OUTBOX_ATTRIBUTE_DEFINITIONS,
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
    OUTBOX_GSI,
  ],
};
