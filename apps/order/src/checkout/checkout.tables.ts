import type { TableDefinition } from '@mercato/persistence';

/**
 * Open checkouts: PK `checkoutId` (the customer and Idempotency-Key as JSON), one item per saga
 * that has not ended, written before the order's `placed` and deleted when the saga answers (or
 * recovery finished or undid it). `leaseUntil` says until when its `owner` (a process run) drives
 * it; a recovery job takes items whose lease ran out. Few items (only sagas in flight), so the
 * job scans instead of keeping an index.
 */
export const CHECKOUTS_TABLE: TableDefinition = {
  name: 'checkouts',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'checkoutId', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'checkoutId', KeyType: 'HASH' }],
};

/** The tables of checkout (registered by `CheckoutModule`; exported for infrastructure). */
export const CHECKOUT_TABLES: readonly TableDefinition[] = [CHECKOUTS_TABLE];
