import { Logger } from '@nestjs/common';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import {
  clearPending,
  findPending,
  OUTBOX_ATTRIBUTES,
  OutboxRelay,
  outboxShardOf,
  pendingMark,
} from './outbox';
import { OUTBOX_ATTRIBUTE_DEFINITIONS, OUTBOX_GSI } from './table-definitions';
import type { TableDefinition } from './tables';

/** A table keyed like an app's that uses the outbox: its definition includes the `byOutbox` index. */
const ITEMS: TableDefinition = {
  name: 'outbox-items',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'sku', AttributeType: 'S' },
    ...OUTBOX_ATTRIBUTE_DEFINITIONS,
  ],
  KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
  GlobalSecondaryIndexes: [OUTBOX_GSI],
};

let dynamo: TestDynamo;
let table: string;

beforeAll(async () => {
  Logger.overrideLogger(false); // the relay's warnings are expected here
  dynamo = await startTestDynamo([ITEMS]);
  table = dynamo.tables.of(ITEMS);
}, 30_000);

afterAll(() => dynamo?.close());

/** A write that bumps the version and marks the item pending, as outbox users do. */
async function markedWrite(sku: string, nowMs: number): Promise<number> {
  const mark = pendingMark(sku, nowMs);
  const out = await dynamo.doc.send(
    new UpdateCommand({
      TableName: table,
      Key: { sku },
      UpdateExpression: `SET #version = if_not_exists(#version, :zero) + :one, ${mark.set}`,
      ExpressionAttributeNames: { '#version': 'version', ...mark.names },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ...mark.values },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return out.Attributes!.version as number;
}

const read = async (sku: string) =>
  (await dynamo.doc.send(new GetCommand({ TableName: table, Key: { sku } }))).Item!;

describe('outbox helpers', () => {
  it('marks an item pending and keeps the time of the oldest unpublished change', async () => {
    await markedWrite('o-1', 1_000);
    await markedWrite('o-1', 2_000);
    const item = await read('o-1');
    expect(item[OUTBOX_ATTRIBUTES.shard]).toBe(outboxShardOf('o-1'));
    expect(item[OUTBOX_ATTRIBUTES.since]).toBe(1_000);
  });

  it('clears the mark only at the latest version', async () => {
    const first = await markedWrite('o-2', 1_000);
    const second = await markedWrite('o-2', 1_100);
    expect(await clearPending(dynamo.doc, table, { sku: 'o-2' }, first)).toBe(false);
    expect((await read('o-2'))[OUTBOX_ATTRIBUTES.shard]).toBeDefined();
    expect(await clearPending(dynamo.doc, table, { sku: 'o-2' }, second)).toBe(true);
    const item = await read('o-2');
    expect(item[OUTBOX_ATTRIBUTES.shard]).toBeUndefined();
    expect(item[OUTBOX_ATTRIBUTES.since]).toBeUndefined();
  });

  it('finds only marks older than the cut-off, across shards, without the unmarked', async () => {
    const now = 1_000_000;
    for (let n = 0; n < 12; n++) await markedWrite(`f-${n}`, now - 10_000);
    await markedWrite('young', now);
    await dynamo.doc.send(
      new PutCommand({ TableName: table, Item: { sku: 'unmarked', version: 1 } }),
    );
    const keys = await findPending(dynamo.doc, table, now - 5_000);
    const skus = keys.map((k) => k.sku);
    for (let n = 0; n < 12; n++) expect(skus).toContain(`f-${n}`);
    expect(skus).not.toContain('young');
    expect(skus).not.toContain('unmarked');
    expect(keys[0]).toEqual({ sku: expect.any(String) });
  });
});

describe('OutboxRelay', () => {
  it('delivers each mark left behind, and a failed delivery again on the next pass', async () => {
    await markedWrite('relay-1', Date.now() - 60_000);
    const delivered: string[] = [];
    let failOnce = true;
    const relay = new OutboxRelay({
      name: 'test',
      doc: dynamo.doc,
      table,
      intervalMs: 3_600_000,
      graceMs: 1_000,
      deliver: async (key) => {
        if (key.sku !== 'relay-1') return;
        if (failOnce) {
          failOnce = false;
          throw new Error('broker down');
        }
        delivered.push(key.sku as string);
        const item = await read('relay-1');
        await clearPending(dynamo.doc, table, key, item.version as number);
      },
    });
    await relay.runOnce();
    expect(delivered).toEqual([]);
    await relay.runOnce();
    expect(delivered).toEqual(['relay-1']);
    expect((await read('relay-1'))[OUTBOX_ATTRIBUTES.shard]).toBeUndefined();
    await relay.stop();
  });
});
