import { Test } from '@nestjs/testing';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CATALOG_TABLES } from '@mercato/catalog';
import { loadConfig } from '@mercato/config';
import { GATEWAY_TABLES } from '@mercato/gateway';
import { INVENTORY_TABLES } from '@mercato/inventory';
import { CART_TABLES } from '@mercato/cart';
import {
  CHECKOUT_TABLES,
  FRAUD_TABLES,
  IDEMPOTENCY_TABLES,
  ORDER_TABLES,
  PAYMENTS_TABLES,
} from '@mercato/order';
import { createTableInput, DynamoLifecycle } from '@mercato/persistence';
import { serviceRoot } from '@mercato/runtime';
import { RECOMMENDATION_TABLES } from '@mercato/recommendation';
import { SEARCH_TABLES } from '@mercato/search';
import { STORE_APPS } from './store';
import { storeConfigSchema } from './store.config';

/** Every app's table definitions, as infrastructure code imports them from the apps. */
const APP_TABLES = {
  gateway: GATEWAY_TABLES,
  catalog: CATALOG_TABLES,
  inventory: INVENTORY_TABLES,
  order: [
    ...ORDER_TABLES,
    ...PAYMENTS_TABLES,
    ...IDEMPOTENCY_TABLES,
    ...FRAUD_TABLES,
    ...CHECKOUT_TABLES,
  ],
  cart: CART_TABLES,
  search: SEARCH_TABLES,
  recommendation: RECOMMENDATION_TABLES,
};
const ALL = Object.values(APP_TABLES).flat();

describe("the apps' tables", () => {
  it('are plain data, one logical name each', () => {
    expect(ALL.map((table) => table.name).sort()).toEqual([
      'carts',
      'checkouts',
      'customers',
      'fraud-decisions',
      'idempotency',
      'interactions',
      'inventory',
      'order-events',
      'orders',
      'payments',
      'products',
      'promotions',
      'search-feedback',
      'search-query-stats',
      'search-sales',
      'seller-orders',
      'shopper-links',
    ]);
    for (const table of ALL) {
      expect(JSON.parse(JSON.stringify(table))).toEqual(table);
      const input = createTableInput(table, `mercato-${table.name}`);
      expect(input).toMatchObject({
        TableName: `mercato-${table.name}`,
        BillingMode: 'PAY_PER_REQUEST',
      });
      const defined = new Set(input.AttributeDefinitions!.map((a) => a.AttributeName));
      const keyed = [
        ...input.KeySchema!,
        ...(input.GlobalSecondaryIndexes ?? []).flatMap((index) => index.KeySchema!),
        ...(input.LocalSecondaryIndexes ?? []).flatMap((index) => index.KeySchema!),
      ].map((key) => key.AttributeName!);
      // DynamoDB wants exactly the key attributes of the table and its indexes defined.
      expect([...defined].sort()).toEqual([...new Set(keyed)].sort());
    }
  });

  it('are all created by the embedded store (CREATE_TABLES), each app registering its own', async () => {
    const config = loadConfig(storeConfigSchema, {
      MERCATO_STORAGE: 'memory',
      MERCATO_SEED: 'false',
      MERCATO_ADMIN_PASSWORD: 'store-tables-spec-password',
      TABLE_PREFIX: 'spec-',
      LOG_LEVEL: 'silent',
    });
    const moduleRef = await Test.createTestingModule({ imports: [serviceRoot(config, STORE_APPS)] })
      .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
      .compile();
    try {
      await moduleRef.init();
      expect(moduleRef.get(DynamoLifecycle).isReady).toBe(true);
      const { TableNames } = await moduleRef
        .get(DynamoDBDocumentClient)
        .send(new ListTablesCommand({}));
      expect([...(TableNames ?? [])].sort()).toEqual(
        ALL.map((table) => `spec-${table.name}`).sort(),
      );
    } finally {
      await moduleRef.close();
    }
  }, 30_000);
});
