import type { TableDefinition } from '@mercato/persistence';

/**
 * Payments of the embedded provider, one hash key `pk` for two kinds of item
 * (`payments.repository.ts` owns both layouts):
 * - `payment#<paymentId>`: one authorisation and what happened to it since (captured and
 *   refunded totals, each operation's receipt by idempotency key, a `version` for conditional
 *   writes). Card data is the token, brand and last four digits only.
 * - `idempotency#<key>`: the first call made with a key: a fingerprint of its arguments, a lease
 *   while it runs and, once done, its outcome, so a repeat answers the same.
 * Every read and write names one item, so the table needs no index.
 */
export const PAYMENTS_TABLE: TableDefinition = {
  name: 'payments',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
};

/** The payments tables (to be added to ORDER_TABLES; registered by `PaymentsModule`). */
export const PAYMENTS_TABLES: readonly TableDefinition[] = [PAYMENTS_TABLE];
