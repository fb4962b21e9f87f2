import type { TableDefinition } from '@mercato/persistence';

/**
 * Promotions and coupons of the catalog: PK `pk`, SK `sk`. The layout of the items is the
 * promotions repository's (`promotions.repository.ts`).
 */
export const PROMOTIONS_TABLE: TableDefinition = {
  name: 'promotions',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
};
