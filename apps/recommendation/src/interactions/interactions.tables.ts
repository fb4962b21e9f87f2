import type { TableDefinition } from '@mercato/persistence';

/**
 * Every shopper's interactions (docs/recommendations.md, "Interaction stream"): PK `shopperKey`
 * (`customer:<id>` or `device:<id>`, `shopperKeyOf`), SK `at` (`<occurredAt as UTC ISO>#<eventId>`),
 * so a partition reads newest first and an event's key is fixed by the event itself: a
 * redelivery meets its own item and the `attribute_not_exists` put stores it once. Attributes:
 * the fields of `interactionViewSchema` (`source` included) and `expiresAt` (epoch seconds, the
 * DynamoDB TTL attribute: INTERACTION_RETENTION_DAYS after the event).
 */
export const INTERACTIONS_TABLE: TableDefinition = {
  name: 'interactions',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'shopperKey', AttributeType: 'S' },
    { AttributeName: 'at', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'shopperKey', KeyType: 'HASH' },
    { AttributeName: 'at', KeyType: 'RANGE' },
  ],
};

/**
 * Devices a customer signed in on: PK `customerId`, SK `deviceId`, attribute `linkedAt` (UTC
 * ISO of the latest sign-in on that device; only ever moves forward). A customer's history is
 * one Query here and one per linked device in `interactions`.
 */
export const SHOPPER_LINKS_TABLE: TableDefinition = {
  name: 'shopper-links',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'customerId', AttributeType: 'S' },
    { AttributeName: 'deviceId', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'customerId', KeyType: 'HASH' },
    { AttributeName: 'deviceId', KeyType: 'RANGE' },
  ],
};

/** The interaction stream's tables (registered by `InteractionsModule`). */
export const INTERACTIONS_TABLES: readonly TableDefinition[] = [
  INTERACTIONS_TABLE,
  SHOPPER_LINKS_TABLE,
];
