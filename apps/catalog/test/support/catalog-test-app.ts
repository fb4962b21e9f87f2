import type { DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@mercato/config';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { CatalogModule } from '../../src/catalog.module';
import { CatalogSeeder } from '../../src/seed/catalog-seeder';
import { CATALOG_TABLES } from '../../src/catalog.tables';

export interface CatalogTestApp {
  moduleRef: TestingModule;
  dynamo: TestDynamo;
  close(): Promise<void>;
}

/** The catalog module on a fresh in-memory dynalite, seeded with `products` demo products. */
export async function startCatalogTestApp(
  products: number,
  seed = 42,
  extraImports: DynamicModule[] = [],
): Promise<CatalogTestApp> {
  const dynamo = await startTestDynamo(CATALOG_TABLES);
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        ...dynamo.config,
        MERCATO_SEED: false,
        MERCATO_SEED_PRODUCTS: products,
        MERCATO_SEED_RANDOM: seed,
      }),
      PersistenceModule.forRoot(dynamo.config),
      ...extraImports,
      CatalogModule,
    ],
  })
    .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
    .compile();
  await moduleRef.init();
  await moduleRef.get(CatalogSeeder).seed({ seed, products });
  return {
    moduleRef,
    dynamo,
    async close() {
      await moduleRef.close();
      await dynamo.close();
    },
  };
}
