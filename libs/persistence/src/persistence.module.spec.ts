import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoLifecycle, PersistenceModule } from './persistence.module';
import { EmbeddedDynamo } from './embedded-dynamo';
import { createDocumentClient, ensureTables, openDynamo } from './dynamo';
import type { PersistenceConfig } from './persistence.config';
import { TABLES, TableNames } from './tables';
import { startTestDynamo } from './test-dynamo';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

const baseConfig = (overrides: Partial<PersistenceConfig> = {}): PersistenceConfig => ({
  DYNAMODB_ENDPOINT: undefined,
  MERCATO_DATA_DIR: '.data',
  MERCATO_STORAGE: 'memory',
  MERCATO_RESET: false,
  AWS_REGION: 'us-east-1',
  TABLE_PREFIX: 'spec-',
  CREATE_TABLES: true,
  ...overrides,
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('PersistenceModule', () => {
  it('starts an embedded dynalite, creates the tables, reports healthy and closes on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot(baseConfig())],
    })
      .setLogger(silent)
      .compile();
    await moduleRef.init();
    const lifecycle = moduleRef.get(DynamoLifecycle);
    const tables = moduleRef.get(TableNames);
    const doc = moduleRef.get(DynamoDBDocumentClient);
    expect(lifecycle.isReady).toBe(true);
    expect(tables.products).toBe('spec-products');
    expect(lifecycle.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const table of TABLES) {
      const { Table } = await doc.send(new DescribeTableCommand({ TableName: tables[table] }));
      expect(Table?.TableStatus).toBe('ACTIVE');
    }
    await expect(lifecycle.health()).resolves.toMatchObject({ up: true });
    await moduleRef.close();
  });

  it('comes up when an external endpoint is unreachable and says what it cannot reach', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const errors: string[] = [];
    const moduleRef = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot(baseConfig({ DYNAMODB_ENDPOINT: url }))],
    })
      .setLogger({ ...silent, error: (message: string) => void errors.push(message) })
      .compile();
    await moduleRef.init();
    const lifecycle = moduleRef.get(DynamoLifecycle);
    expect(lifecycle.isReady).toBe(false);
    expect(errors.join('\n')).toContain(`cannot reach DynamoDB at ${url}`);
    const health = await lifecycle.health(1_000);
    expect(health.up).toBe(false);
    expect(health.detail).toContain(`cannot reach DynamoDB at ${url}:`);
    await moduleRef.close();
  }, 20_000);
});

describe('openDynamo', () => {
  it('keeps data on disk across restarts and forgets it with MERCATO_RESET', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mercato-dynamo-'));
    const config = baseConfig({ MERCATO_DATA_DIR: dir, MERCATO_STORAGE: 'disk' });
    const key = { sku: 'SKU-1' };
    try {
      const first = await openDynamo(config);
      await first.doc.send(
        new PutCommand({ TableName: first.tables.inventory, Item: { ...key, version: 1 } }),
      );
      await first.close();

      const second = await openDynamo(config);
      const kept = await second.doc.send(
        new GetCommand({ TableName: second.tables.inventory, Key: key }),
      );
      expect(kept.Item).toEqual({ ...key, version: 1 });
      await second.close();

      const third = await openDynamo({ ...config, MERCATO_RESET: true });
      const gone = await third.doc.send(
        new GetCommand({ TableName: third.tables.inventory, Key: key }),
      );
      expect(gone.Item).toBeUndefined();
      await third.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('EmbeddedDynamo', () => {
  it('refuses a second opener of the same on-disk store with a clear message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mercato-dynamo-'));
    const path = join(dir, 'dynamodb');
    const first = await EmbeddedDynamo.start({ path });
    try {
      await expect(EmbeddedDynamo.start({ path })).rejects.toThrow(
        `embedded DynamoDB store at ${path}`,
      );
    } finally {
      await first.close();
    }
    const again = await EmbeddedDynamo.start({ path });
    await again.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('ensureTables', () => {
  it('is idempotent', async () => {
    const dynamo = await startTestDynamo();
    try {
      const { client } = createDocumentClient(dynamo.endpoint, 'us-east-1');
      await expect(ensureTables(client, dynamo.tables)).resolves.toBeUndefined();
      client.destroy();
    } finally {
      await dynamo.close();
    }
  });
});
