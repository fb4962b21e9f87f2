import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startTestDynamo } from '@mercato/testing';
import { DynamoLifecycle, PersistenceModule } from './persistence.module';
import { EmbeddedDynamo } from './embedded-dynamo';
import { createDocumentClient, ensureTables, openDynamo } from './dynamo';
import type { PersistenceConfig } from './persistence.config';
import { TableNames, type TableDefinition } from './tables';

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

/** A keyed table of one string attribute, as an app would define one. */
const table = (name: string, key = 'id'): TableDefinition => ({
  name,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
  KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
});
const WIDGETS = table('widgets');
const GADGETS = table('gadgets');
const SHARED = table('shared');

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('PersistenceModule', () => {
  it('starts an embedded dynalite, creates every registered table, reports healthy and closes on shutdown', async () => {
    // Two "apps", each registering its tables; a table both register is created once.
    const moduleRef = await Test.createTestingModule({
      imports: [
        PersistenceModule.forRoot(baseConfig()),
        PersistenceModule.forFeature([WIDGETS, SHARED]),
        PersistenceModule.forFeature([GADGETS, SHARED]),
      ],
    })
      .setLogger(silent)
      .compile();
    await moduleRef.init();
    const lifecycle = moduleRef.get(DynamoLifecycle);
    const tables = moduleRef.get(TableNames);
    const doc = moduleRef.get(DynamoDBDocumentClient);
    expect(lifecycle.isReady).toBe(true);
    expect(tables.of(WIDGETS)).toBe('spec-widgets');
    expect(tables.of('gadgets')).toBe('spec-gadgets');
    expect(lifecycle.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { TableNames: listed } = await doc.send(new ListTablesCommand({}));
    expect([...(listed ?? [])].sort()).toEqual(['spec-gadgets', 'spec-shared', 'spec-widgets']);
    for (const name of listed ?? []) {
      const { Table } = await doc.send(new DescribeTableCommand({ TableName: name }));
      expect(Table?.TableStatus).toBe('ACTIVE');
    }
    await expect(lifecycle.health()).resolves.toEqual({
      up: true,
      detail: `DynamoDB at ${lifecycle.endpoint}: table spec-widgets ACTIVE`,
    });
    await moduleRef.close();
  });

  it('creates no table when no app registers one, and is ready when the endpoint answers', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot(baseConfig())],
    })
      .setLogger(silent)
      .compile();
    await moduleRef.init();
    const lifecycle = moduleRef.get(DynamoLifecycle);
    const { TableNames: listed } = await moduleRef
      .get(DynamoDBDocumentClient)
      .send(new ListTablesCommand({}));
    expect(listed).toEqual([]);
    await expect(lifecycle.health()).resolves.toEqual({
      up: true,
      detail: `DynamoDB at ${lifecycle.endpoint} answers`,
    });
    await moduleRef.close();
  });

  it('refuses one logical table registered with two different definitions', async () => {
    // An external endpoint: the refused module is never closed, so it must not start a server.
    const url = `http://127.0.0.1:${await closedPort()}`;
    await expect(
      Test.createTestingModule({
        imports: [
          PersistenceModule.forRoot(baseConfig({ DYNAMODB_ENDPOINT: url })),
          PersistenceModule.forFeature([table('things', 'id')]),
          PersistenceModule.forFeature([table('things', 'sku')]),
        ],
      })
        .setLogger(silent)
        .compile(),
    ).rejects.toThrow('table "things" is registered twice with different definitions');
  });

  it('comes up when an external endpoint is unreachable and says what it cannot reach', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const errors: string[] = [];
    const moduleRef = await Test.createTestingModule({
      imports: [
        PersistenceModule.forRoot(baseConfig({ DYNAMODB_ENDPOINT: url })),
        PersistenceModule.forFeature([WIDGETS]),
      ],
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
    const key = { id: 'SKU-1' };
    try {
      const first = await openDynamo(config, [WIDGETS]);
      await first.doc.send(
        new PutCommand({ TableName: first.tables.of(WIDGETS), Item: { ...key, version: 1 } }),
      );
      await first.close();

      const second = await openDynamo(config, [WIDGETS]);
      const kept = await second.doc.send(
        new GetCommand({ TableName: second.tables.of(WIDGETS), Key: key }),
      );
      expect(kept.Item).toEqual({ ...key, version: 1 });
      await second.close();

      const third = await openDynamo({ ...config, MERCATO_RESET: true }, [WIDGETS]);
      const gone = await third.doc.send(
        new GetCommand({ TableName: third.tables.of(WIDGETS), Key: key }),
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
    const dynamo = await startTestDynamo([WIDGETS, GADGETS]);
    try {
      const { client } = createDocumentClient(dynamo.endpoint, 'us-east-1');
      await expect(
        ensureTables(client, dynamo.tables, [WIDGETS, GADGETS]),
      ).resolves.toBeUndefined();
      client.destroy();
    } finally {
      await dynamo.close();
    }
  });
});
