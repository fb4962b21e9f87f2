import type { TableDefinition } from '@mercato/persistence';

export const CUSTOMER_INDEXES = { byRegion: 'byRegion' } as const;

/**
 * Customers: PK `customerId`, SK `profileType` (`profile`, `refresh#<sha256>`); email claims
 * (`email#<email>` / `email-claim`) and partner API keys live under their own keys
 * (`customers.repository.ts`, `api-keys.repository.ts`). GSI `byRegion`.
 */
export const CUSTOMERS_TABLE: TableDefinition = {
  name: 'customers',
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
};

/** The tables identity owns (registered by `IdentityModule`; exported for infrastructure). */
export const IDENTITY_TABLES: readonly TableDefinition[] = [CUSTOMERS_TABLE];
