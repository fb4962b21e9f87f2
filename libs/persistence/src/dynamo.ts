import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EmbeddedDynamo } from './embedded-dynamo';
import type { PersistenceConfig } from './persistence.config';
import { createTableInput, TableNames, type TableDefinition } from './tables';

/** An open connection to the configured DynamoDB (and the embedded server when there is one). */
export interface DynamoConnection {
  doc: DynamoDBDocumentClient;
  client: DynamoDBClient;
  tables: TableNames;
  /** The URL requests go to (`aws` when the SDK's default endpoint is used). */
  endpoint: string;
  /** The in-process dynalite, when DYNAMODB_ENDPOINT is unset. */
  embedded?: EmbeddedDynamo;
  close(): Promise<void>;
}

/** Folder of the embedded store on disk. */
export function embeddedDynamoPath(config: Pick<PersistenceConfig, 'MERCATO_DATA_DIR'>): string {
  return resolve(join(config.MERCATO_DATA_DIR, 'dynamodb'));
}

function isAwsEndpoint(endpoint: string): boolean {
  try {
    return new URL(endpoint).hostname.endsWith('.amazonaws.com');
  } catch {
    return false;
  }
}

export function createDocumentClient(
  endpoint: string | undefined,
  region: string,
): { client: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const local = endpoint !== undefined && !isAwsEndpoint(endpoint);
  const client = new DynamoDBClient({
    region,
    endpoint,
    // A local engine accepts any signature; never look for real credentials for it.
    credentials: local ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
    // A refused local connection fails at once; a slow one means the engine's event loop is
    // busy (dynalite is one Node process), and giving up early only adds retries to its load.
    requestHandler: { connectionTimeout: local ? 15_000 : 3_000, requestTimeout: 30_000 },
    maxAttempts: local ? 3 : undefined,
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, doc };
}

/**
 * Opens DynamoDB as configured: DYNAMODB_ENDPOINT when set, otherwise an embedded dynalite
 * (on disk under `<MERCATO_DATA_DIR>/dynamodb` with MERCATO_STORAGE=disk, in memory otherwise;
 * MERCATO_RESET deletes the folder first). Does not create tables: see `ensureTables`.
 * Usable outside Nest (scripts, tests).
 */
export async function connectDynamo(config: PersistenceConfig): Promise<DynamoConnection> {
  let embedded: EmbeddedDynamo | undefined;
  if (!config.DYNAMODB_ENDPOINT) {
    embedded = await EmbeddedDynamo.start({
      path: config.MERCATO_STORAGE === 'disk' ? embeddedDynamoPath(config) : undefined,
      reset: config.MERCATO_RESET,
    });
  }
  const endpoint = embedded?.endpoint ?? config.DYNAMODB_ENDPOINT;
  const { client, doc } = createDocumentClient(endpoint, config.AWS_REGION);
  let closed = false;
  return {
    doc,
    client,
    tables: new TableNames(config.TABLE_PREFIX),
    endpoint: endpoint ?? `aws (${config.AWS_REGION})`,
    embedded,
    async close() {
      if (closed) return;
      closed = true;
      doc.destroy();
      await embedded?.close();
    },
  };
}

/**
 * Opens DynamoDB and, when CREATE_TABLES, creates the missing ones of `tables` (waits until
 * ACTIVE).
 */
export async function openDynamo(
  config: PersistenceConfig,
  tables: readonly TableDefinition[],
): Promise<{
  doc: DynamoDBDocumentClient;
  tables: TableNames;
  endpoint: string;
  close(): Promise<void>;
}> {
  const connection = await connectDynamo(config);
  try {
    if (config.CREATE_TABLES) await ensureTables(connection.client, connection.tables, tables);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}

/**
 * Creates every table of `definitions` that does not exist yet (under its physical name) and
 * waits until all are ACTIVE. Idempotent: a table that already exists (ResourceInUseException)
 * is fine.
 */
export async function ensureTables(
  client: DynamoDBClient,
  names: TableNames,
  definitions: readonly TableDefinition[],
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  await Promise.all(
    definitions.map(async (definition) => {
      const TableName = names.of(definition);
      try {
        await client.send(new CreateTableCommand(createTableInput(definition, TableName)));
      } catch (error) {
        if (
          !(error instanceof ResourceInUseException) &&
          (error as Error).name !== 'ResourceInUseException'
        ) {
          throw error;
        }
      }
      for (;;) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName }));
        const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
          (index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE',
        );
        if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
        if (Date.now() > deadline) {
          throw new Error(`Table ${TableName} is not ACTIVE (status ${Table?.TableStatus})`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }),
  );
}
