import { Test, type TestingModule } from '@nestjs/testing';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigModule } from '@mercato/config';
import { PRODUCT_LIMITS, PRODUCT_META_ITEM_WORST_CASE_BYTES } from '@mercato/contracts';
import { DEMO_LEAF_CATEGORIES } from '@mercato/demo-data';
import { MessagingModule } from '@mercato/messaging';
import { PersistenceModule, TableNames } from '@mercato/persistence';
import { productAtLimits, startTestDynamo, type TestDynamo } from '@mercato/testing';
import { CatalogModule } from '../catalog.module';
import { CatalogSeeder } from '../seed/catalog-seeder';
import { ProductWritesService } from './product-writes.service';
import { PRODUCT_META_SK } from './products.repository';
import { PRODUCTS_TABLE } from './products.tables';
import { CATALOG_TABLES } from '../catalog.tables';

/**
 * DynamoDB's size of an item, by its published rules: attribute names and strings in UTF-8
 * bytes, a number about one byte per two significant digits plus one, booleans and nulls one
 * byte, a map or list 3 bytes plus 1 per element (plus its name, in a map), a set its members.
 */
function sizeOfValue(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits = String(Math.abs(value))
      .replace(/[.e+-]/g, '')
      .replace(/^0+|0+$/g, '');
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Set) return [...value].reduce((sum, v) => sum + sizeOfValue(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum, v) => sum + 1 + sizeOfValue(v), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (sum, [name, v]) => sum + 1 + Buffer.byteLength(name, 'utf8') + sizeOfValue(v),
      0,
    )
  );
}
const itemSize = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + sizeOfValue(value),
    0,
  );

let dynamo: TestDynamo;
let moduleRef: TestingModule;

beforeAll(async () => {
  dynamo = await startTestDynamo(CATALOG_TABLES);
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        ...dynamo.config,
        MERCATO_SEED: false,
        MERCATO_SEED_PRODUCTS: 1,
        MERCATO_SEED_RANDOM: 42,
        CATALOG_OUTBOX_INTERVAL_MS: 3_600_000,
      }),
      PersistenceModule.forRoot(dynamo.config),
      MessagingModule.forRoot({
        MERCATO_BUS: 'memory',
        BUS_MAX_ATTEMPTS: 1,
        BUS_RETRY_BACKOFF_MS: 1,
      }),
      CatalogModule,
    ],
  })
    .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
    .compile();
  await moduleRef.init();
  await moduleRef.get(CatalogSeeder).seed({ seed: 42, products: 1 });
}, 60_000);
afterAll(async () => {
  await moduleRef?.close();
  await dynamo?.close();
});

describe('the product meta item at the input limits', () => {
  it('stays under the stated worst case, itself well under DynamoDB’s 400 KB', async () => {
    expect(PRODUCT_META_ITEM_WORST_CASE_BYTES).toBeLessThanOrEqual(200_000);
    // The deepest leaf: the longest category path the meta item can carry.
    const leaf = [...DEMO_LEAF_CATEGORIES].sort(
      (a, b) => b.path.join('').length - a.path.join('').length,
    )[0];
    const writes = moduleRef.get(ProductWritesService);
    const sellerId = 's'.repeat(64);
    const externalId = 'e'.repeat(100);
    const { result } = await writes.upsertExternal(
      sellerId,
      externalId,
      productAtLimits(leaf.categoryId, 'LIMITS'),
    );
    // An update adds new SKUs (higher variant numbers) to the same product.
    await writes.upsertExternal(sellerId, externalId, productAtLimits(leaf.categoryId, 'LIMITS2'));
    const { Item } = await dynamo.doc.send(
      new GetCommand({
        TableName: moduleRef.get(TableNames).of(PRODUCTS_TABLE),
        Key: { productId: result.productId, variantId: PRODUCT_META_SK },
      }),
    );
    expect(Item!.variants).toHaveLength(PRODUCT_LIMITS.variants);
    expect(Item!.externalId).toBe(externalId);
    // The outbox mark is cleared by now; its two attributes weigh under 40 bytes.
    const measured = itemSize(Item!) + 40;
    expect(measured).toBeLessThanOrEqual(PRODUCT_META_ITEM_WORST_CASE_BYTES);
    // And not far under: the stated bound is the real worst case, not a guess.
    expect(measured).toBeGreaterThan(PRODUCT_META_ITEM_WORST_CASE_BYTES * 0.95);
  });
});
