import { randomUUID } from 'node:crypto';
import { openDynamo, type PersistenceConfig, type TableDefinition } from '@mercato/persistence';

export interface TestDynamo {
  /** Config pointing at this server (pass to PersistenceModule.forRoot to share it). */
  config: PersistenceConfig;
  doc: Awaited<ReturnType<typeof openDynamo>>['doc'];
  tables: Awaited<ReturnType<typeof openDynamo>>['tables'];
  endpoint: string;
  close(): Promise<void>;
}

/**
 * For tests: a real dynalite in this process, in memory, on a random port, with `tables` (an
 * app's definitions, e.g. `INVENTORY_TABLES`) created under a unique prefix. A module started on
 * `config` creates the tables its apps register as well. `close()` stops it.
 */
export async function startTestDynamo(
  tables: readonly TableDefinition[] = [],
): Promise<TestDynamo> {
  const base: PersistenceConfig = {
    DYNAMODB_ENDPOINT: undefined,
    MERCATO_DATA_DIR: '.data',
    MERCATO_STORAGE: 'memory',
    MERCATO_RESET: false,
    AWS_REGION: 'us-east-1',
    TABLE_PREFIX: `test-${randomUUID().slice(0, 8)}-`,
    CREATE_TABLES: true,
  };
  const dynamo = await openDynamo(base, tables);
  return {
    config: { ...base, DYNAMODB_ENDPOINT: dynamo.endpoint },
    doc: dynamo.doc,
    tables: dynamo.tables,
    endpoint: dynamo.endpoint,
    close: () => dynamo.close(),
  };
}
