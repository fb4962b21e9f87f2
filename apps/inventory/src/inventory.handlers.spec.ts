import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@mercato/config';
import { GetAvailability } from '@mercato/contracts';
import { generateCatalog } from '@mercato/demo-data';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { InventoryModule } from './inventory.module';
import { INVENTORY_TABLES } from './stock/inventory.tables';

let dynamo: TestDynamo;
let moduleRef: TestingModule;

beforeAll(async () => {
  dynamo = await startTestDynamo(INVENTORY_TABLES);
  moduleRef = await Test.createTestingModule({
    imports: [
      // Seeds on bootstrap, as on a first start.
      ConfigModule.forRoot({
        ...dynamo.config,
        MERCATO_SEED: true,
        MERCATO_SEED_PRODUCTS: 50,
        MERCATO_SEED_RANDOM: 7,
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
}, 60_000);

afterAll(async () => {
  await moduleRef?.close();
  await dynamo?.close();
});

describe('inventory over the bus', () => {
  it('answers GetAvailability from the stock seeded on bootstrap', async () => {
    const [variant] = [...generateCatalog({ seed: 7, products: 50 })][10].variants;
    const { items } = await moduleRef
      .get(MessageBus)
      .request(GetAvailability, { skus: [variant.sku], region: 'ap' });
    expect(items).toEqual([
      {
        sku: variant.sku,
        available: variant.stock['ap-south'] + variant.stock['us-east'] + variant.stock['eu-west'],
        warehouses: [
          { warehouseId: 'ap-south', available: variant.stock['ap-south'] },
          { warehouseId: 'us-east', available: variant.stock['us-east'] },
          { warehouseId: 'eu-west', available: variant.stock['eu-west'] },
        ],
      },
    ]);
  });
});
