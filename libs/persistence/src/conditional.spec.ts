import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { isConditionalCheckFailed, putIfAbsent } from './conditional';
import type { TableDefinition } from './tables';

const THINGS: TableDefinition = {
  name: 'things',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
};

let dynamo: TestDynamo;
let table: string;

beforeAll(async () => {
  dynamo = await startTestDynamo([THINGS]);
  table = dynamo.tables.of(THINGS);
}, 30_000);

afterAll(() => dynamo?.close());

const read = async (pk: string, sk: string) =>
  (
    await dynamo.doc.send(
      new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }),
    )
  ).Item;

describe('putIfAbsent', () => {
  it('writes an item that is not there yet and answers true', async () => {
    await expect(putIfAbsent(dynamo.doc, table, 'pk', { pk: 'a', sk: '1', n: 1 })).resolves.toBe(
      true,
    );
    expect(await read('a', '1')).toEqual({ pk: 'a', sk: '1', n: 1 });
  });

  it('leaves an existing item untouched and answers false', async () => {
    await putIfAbsent(dynamo.doc, table, 'pk', { pk: 'b', sk: '1', n: 1 });
    await expect(putIfAbsent(dynamo.doc, table, 'sk', { pk: 'b', sk: '1', n: 2 })).resolves.toBe(
      false,
    );
    expect(await read('b', '1')).toEqual({ pk: 'b', sk: '1', n: 1 });
  });

  it('writes beside an item of the same partition under another sort key', async () => {
    await putIfAbsent(dynamo.doc, table, 'pk', { pk: 'c', sk: '1' });
    await expect(putIfAbsent(dynamo.doc, table, 'pk', { pk: 'c', sk: '2' })).resolves.toBe(true);
  });

  it('only one of concurrent writers of one key wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        putIfAbsent(dynamo.doc, table, 'pk', { pk: 'race', sk: '1', n }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await read('race', '1'))?.n).toBe(results.indexOf(true));
  });

  it('throws any other failure', async () => {
    await expect(
      putIfAbsent(dynamo.doc, `${table}-missing`, 'pk', { pk: 'd', sk: '1' }),
    ).rejects.toThrow(/not found|non-existent|ResourceNotFound/i);
    const refused = { send: () => Promise.reject(new Error('socket hang up')) };
    await expect(
      putIfAbsent(refused as unknown as DynamoDBDocumentClient, table, 'pk', { pk: 'e', sk: '1' }),
    ).rejects.toThrow('socket hang up');
  });
});

describe('isConditionalCheckFailed', () => {
  it('recognises the SDK exception and an error of that name, nothing else', () => {
    expect(
      isConditionalCheckFailed(
        new ConditionalCheckFailedException({ message: 'refused', $metadata: {} }),
      ),
    ).toBe(true);
    const named = Object.assign(new Error('refused'), { name: 'ConditionalCheckFailedException' });
    expect(isConditionalCheckFailed(named)).toBe(true);
    expect(isConditionalCheckFailed(new Error('ConditionalCheckFailedException'))).toBe(false);
    expect(isConditionalCheckFailed({ name: 'ConditionalCheckFailedException' })).toBe(false);
  });
});
