import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { openDynamo } from '@mercato/persistence';
import { cartStoreContract, startTestDynamo, type TestDynamo } from '@mercato/testing';
import { DAY_MS } from './cart.model';
import { DynamoCartStore } from './dynamodb-cart-store';
import { CART_TABLES, CARTS_TABLE } from './carts.tables';

/**
 * The CartStore contract on the DynamoDB adapter, on a real dynalite in this process (there is
 * no separate in-memory adapter: the embedded store runs this one). Each namespace is a table
 * prefix on the same dynalite.
 */
describe('DynamoCartStore', () => {
  const idle = { guestMs: 7 * DAY_MS, customerMs: 30 * DAY_MS };
  let dynamo: TestDynamo;
  let now = 0;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
  });

  afterAll(async () => {
    await dynamo.close();
  });

  cartStoreContract(
    'dynamodb',
    async (namespace) => {
      now = Date.parse('2026-03-01T12:00:00.000Z');
      const connection = await openDynamo(
        { ...dynamo.config, TABLE_PREFIX: namespace },
        CART_TABLES,
      );
      const table = connection.tables.of(CARTS_TABLE);
      return {
        store: new DynamoCartStore(connection.doc, { table, idle, clock: () => now }),
        corrupt: async (cartId) => {
          await connection.doc.send(
            new PutCommand({
              TableName: table,
              Item: { pk: `cart#${cartId}`, cart: { cartId, lines: 'not a list' }, version: 1 },
            }),
          );
        },
        dispose: () => connection.close(),
      };
    },
    { idle, advanceClock: (ms) => (now += ms) },
  );
});
