import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';

/**
 * One table as its app designs it: plain data (no clients, no classes), so the app's module
 * can register it (`PersistenceModule.forFeature`) and infrastructure code can derive the same
 * table from it. `name` is the logical name; the physical name is `TABLE_PREFIX + name`, so
 * several stores (or test runs) can share one DynamoDB endpoint.
 */
export interface TableDefinition {
  readonly name: string;
  readonly BillingMode: 'PAY_PER_REQUEST';
  readonly KeySchema: readonly KeySchemaElement[];
  readonly AttributeDefinitions: readonly AttributeDefinition[];
  readonly GlobalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
  readonly LocalSecondaryIndexes?: readonly LocalSecondaryIndex[];
}

/** The CreateTable request of `table` under its physical name. */
export function createTableInput(
  table: TableDefinition,
  physicalName: string,
): CreateTableCommandInput {
  const {
    name: _logical,
    KeySchema,
    AttributeDefinitions,
    GlobalSecondaryIndexes,
    LocalSecondaryIndexes,
    BillingMode,
  } = table;
  return {
    TableName: physicalName,
    BillingMode,
    KeySchema: [...KeySchema],
    AttributeDefinitions: [...AttributeDefinitions],
    ...(GlobalSecondaryIndexes?.length
      ? { GlobalSecondaryIndexes: [...GlobalSecondaryIndexes] }
      : {}),
    ...(LocalSecondaryIndexes?.length ? { LocalSecondaryIndexes: [...LocalSecondaryIndexes] } : {}),
  };
}

/** Physical table names (TABLE_PREFIX + logical name), injected wherever a repository needs one. */
export class TableNames {
  constructor(readonly prefix: string) {}

  /** The physical name of `table` (a definition or a logical name). */
  of(table: TableDefinition | string): string {
    return this.prefix + (typeof table === 'string' ? table : table.name);
  }
}

/**
 * The tables this process uses: every app's module registers its own
 * (`PersistenceModule.forFeature`), and the persistence module creates exactly these when
 * CREATE_TABLES. A logical name registered twice must carry the same definition.
 */
export class TableRegistry {
  private readonly tables = new Map<string, TableDefinition>();

  constructor(tables: readonly TableDefinition[] = []) {
    this.register(tables);
  }

  register(tables: readonly TableDefinition[]): void {
    for (const table of tables) {
      const known = this.tables.get(table.name);
      if (known && JSON.stringify(known) !== JSON.stringify(table)) {
        throw new Error(`table "${table.name}" is registered twice with different definitions`);
      }
      this.tables.set(table.name, table);
    }
  }

  all(): TableDefinition[] {
    return [...this.tables.values()];
  }
}
