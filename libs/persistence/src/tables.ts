import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * Logical table names. The physical name is TABLE_PREFIX + logical name, so several stores
 * (or test runs) can share one DynamoDB endpoint.
 */
export const TABLES = ['products', 'customers', 'orders', 'inventory', 'promotions'] as const;
export type TableName = (typeof TABLES)[number];

/** Resolved physical table names, injected wherever a repository needs one. */
export abstract class TableNames {
  abstract readonly products: string;
  abstract readonly customers: string;
  abstract readonly orders: string;
  abstract readonly inventory: string;
  abstract readonly promotions: string;
}

export type TableDefinition = Omit<CreateTableCommandInput, 'TableName'>;
