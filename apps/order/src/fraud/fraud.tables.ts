import type { TableDefinition } from '@mercato/persistence';

export const FRAUD_DECISION_INDEXES = { byCustomer: 'byCustomer' } as const;

/**
 * Fraud decisions: PK `orderId`, one item per screened checkout (denied ones included, whose
 * order is never placed), with its score and reasons; GSI `byCustomer` (SK `decidedAt`) for a
 * customer's history in the admin view.
 */
export const FRAUD_DECISIONS_TABLE: TableDefinition = {
  name: 'fraud-decisions',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'orderId', AttributeType: 'S' },
    { AttributeName: 'customerId', AttributeType: 'S' },
    { AttributeName: 'decidedAt', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
  GlobalSecondaryIndexes: [
    {
      IndexName: FRAUD_DECISION_INDEXES.byCustomer,
      KeySchema: [
        { AttributeName: 'customerId', KeyType: 'HASH' },
        { AttributeName: 'decidedAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

/** The fraud tables of the order app (registered by `FraudModule`; exported for infrastructure). */
export const FRAUD_TABLES: readonly TableDefinition[] = [FRAUD_DECISIONS_TABLE];
