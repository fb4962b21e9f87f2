import { Test, type TestingModule } from '@nestjs/testing';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigModule } from '@mercato/config';
import { generateCatalog } from '@mercato/demo-data';
import { MessagingModule } from '@mercato/messaging';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { InventoryModule } from '../inventory.module';
import { InventorySeeder } from '../seed/inventory-seeder';
import { emptyWarehouse } from './stock.model';
import { StockRepository } from './stock.repository';
import { StockService } from './stock.service';
import { INVENTORY_TABLE, INVENTORY_TABLES } from './inventory.tables';

const PRODUCTS = 300;
const variants = [...generateCatalog({ seed: 42, products: PRODUCTS })].flatMap((p) => p.variants);

let dynamo: TestDynamo;
let moduleRef: TestingModule;
let service: StockService;

beforeAll(async () => {
  dynamo = await startTestDynamo(INVENTORY_TABLES);
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        ...dynamo.config,
        MERCATO_SEED: false,
        MERCATO_SEED_PRODUCTS: PRODUCTS,
        MERCATO_SEED_RANDOM: 42,
        INVENTORY_CACHE_TTL_MS: 60_000,
      }),
      PersistenceModule.forRoot(dynamo.config),
      MessagingModule.forRoot({
        MERCATO_BUS: 'memory',
        BUS_MAX_ATTEMPTS: 1,
        BUS_RETRY_BACKOFF_MS: 1,
      }),
      InventoryModule,
    ],
  })
    .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
    .compile();
  await moduleRef.init();
  await moduleRef.get(InventorySeeder).seed({ seed: 42, products: PRODUCTS });
  service = moduleRef.get(StockService);
}, 60_000);

afterAll(async () => {
  await moduleRef?.close();
  await dynamo?.close();
});

describe('StockService.availability', () => {
  it('gives the seeded stock of each SKU, warehouses nearest-first for the region', async () => {
    const sample = variants.slice(0, 30);
    const items = await service.availability(
      sample.map((v) => v.sku),
      'eu',
    );
    expect(items.map((i) => i.sku)).toEqual(sample.map((v) => v.sku));
    items.forEach((item, n) => {
      const stock = sample[n].stock;
      expect(item.warehouses).toEqual([
        { warehouseId: 'eu-west', available: stock['eu-west'] },
        { warehouseId: 'us-east', available: stock['us-east'] },
        { warehouseId: 'ap-south', available: stock['ap-south'] },
      ]);
      expect(item.available).toBe(stock['eu-west'] + stock['us-east'] + stock['ap-south']);
    });
  });

  it('orders warehouses for ap and us too', async () => {
    const [ap] = await service.availability([variants[0].sku], 'ap');
    expect(ap.warehouses.map((w) => w.warehouseId)).toEqual(['ap-south', 'us-east', 'eu-west']);
    const [us] = await service.availability([variants[0].sku], 'us');
    expect(us.warehouses.map((w) => w.warehouseId)).toEqual(['us-east', 'eu-west', 'ap-south']);
  });

  it('gives the stored available (reservations subtracted) and never goes below zero', async () => {
    const variant = variants.find((v) => v.stock['us-east'] > 5)!;
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.of(INVENTORY_TABLE),
        Key: { sku: variant.sku },
        UpdateExpression:
          'SET warehouses.#us.reserved = :r, warehouses.#us.available = warehouses.#us.available - :r, ' +
          'warehouses.#eu.available = :negative',
        ExpressionAttributeNames: { '#us': 'us-east', '#eu': 'eu-west' },
        ExpressionAttributeValues: { ':r': 5, ':negative': -10 },
      }),
    );
    service.forget([variant.sku]); // a write this service did not make
    const [item] = await service.availability([variant.sku], 'us');
    expect(item.warehouses).toEqual([
      { warehouseId: 'us-east', available: variant.stock['us-east'] - 5 },
      { warehouseId: 'eu-west', available: 0 },
      { warehouseId: 'ap-south', available: variant.stock['ap-south'] },
    ]);
    expect(item.available).toBe(variant.stock['us-east'] - 5 + variant.stock['ap-south']);
  });

  it('leaves out unknown SKUs and answers 100 SKUs at once', async () => {
    expect(await service.availability(['NOPE-1'], 'us')).toEqual([]);
    const skus = variants.slice(0, 100).map((v) => v.sku);
    expect((await service.availability(skus, 'us')).length).toBe(100);
  });
});

describe('StockService cache', () => {
  it('reads each SKU from DynamoDB once, then from memory, until forgotten or replaced', async () => {
    const reads = jest.spyOn(moduleRef.get(StockRepository), 'findBySkus');
    const [a, b] = variants.slice(200, 202).map((v) => v.sku);
    service.forget();

    await service.availability([a], 'us');
    await service.availability([a, b], 'eu');
    expect(reads.mock.calls.slice(0, 2).map(([skus]) => [...skus])).toEqual([[a], [b]]);

    const [before] = await service.availability([a], 'us');
    const empty = emptyWarehouse();
    const stored = (await moduleRef.get(StockRepository).findBySkus([a])).get(a)!;
    service.remember({
      ...stored,
      version: stored.version + 1,
      warehouses: { 'us-east': empty, 'eu-west': empty, 'ap-south': empty },
    });
    const [after] = await service.availability([a], 'us');
    expect(before.available).toBeGreaterThanOrEqual(0);
    expect(after.available).toBe(0);
    reads.mockRestore();
  });
});

describe('InventorySeeder', () => {
  it('writes one item per SKU and a marker, and skips a second time', async () => {
    const seeder = moduleRef.get(InventorySeeder);
    expect(await seeder.seedIfMissing()).toBeUndefined();
  });
});
