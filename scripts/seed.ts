/**
 * Loads the demo catalog and its stock into the configured DynamoDB (by default the embedded
 * on-disk dynalite under MERCATO_DATA_DIR, the same store `npm start` uses — stop the store first).
 *
 *   npm run seed -- --products 100000 [--seed 42] [--reset]
 *
 * Reuses the catalog's and inventory's own seeders. Writes are idempotent puts, so a re-run is
 * safe; --reset (embedded store only) starts from empty tables.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, loadConfigOrExit, withCoreConfig } from '@mercato/config';
import { demoSeedConfigShape } from '@mercato/demo-data';
import { PersistenceModule, DynamoLifecycle } from '@mercato/persistence';
import { CatalogModule, CatalogSeeder } from '@mercato/catalog';
import { InventoryModule, InventorySeeder } from '@mercato/inventory';

interface Args {
  products?: number;
  seed?: number;
  reset: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { reset: false };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`${name} needs a whole number (got "${argv[i]}")`);
      return n;
    };
    if (name === '--products') args.products = value();
    else if (name === '--seed') args.seed = value();
    else if (name === '--reset') args.reset = true;
    else if (name === '--help' || name === '-h') {
      process.stdout.write('usage: npm run seed -- [--products N] [--seed N] [--reset]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${name}`);
  }
  return args;
}

const rate = (items: number, ms: number) => Math.round((items / Math.max(ms, 1)) * 1000);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const env = loadConfigOrExit(withCoreConfig(demoSeedConfigShape), 'seed');
  const products = args.products ?? env.MERCATO_SEED_PRODUCTS;
  const seed = args.seed ?? env.MERCATO_SEED_RANDOM;
  // The seeders run explicitly below, not on bootstrap.
  const config = { ...env, MERCATO_SEED: false, MERCATO_RESET: args.reset || env.MERCATO_RESET };

  @Module({
    imports: [
      ConfigModule.forRoot(config),
      PersistenceModule.forRoot(config),
      CatalogModule,
      InventoryModule,
    ],
  })
  class SeedModule {}

  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const dynamo = app.get(DynamoLifecycle);
  if (!dynamo.isReady) throw new Error((await dynamo.health()).detail);
  process.stdout.write(`seeding ${products} products (seed ${seed}) into ${dynamo.endpoint}\n`);

  const started = Date.now();
  const catalog = await app.get(CatalogSeeder).seed({
    seed,
    products,
    onProgress: (p) =>
      process.stdout.write(
        `  catalog   ${p.products}/${p.total} products  ${p.items} items  ${rate(p.items, p.elapsedMs)} items/s\n`,
      ),
  });
  const inventory = await app.get(InventorySeeder).seed({
    seed,
    products,
    onProgress: (p) =>
      process.stdout.write(
        `  inventory ${p.products}/${p.total} products  ${p.items} SKUs  ${rate(p.items, p.elapsedMs)} items/s\n`,
      ),
  });
  const total = Date.now() - started;
  process.stdout.write(
    `done in ${(total / 1000).toFixed(1)} s: catalog ${catalog.items} items (${rate(catalog.items, catalog.elapsedMs)} items/s), ` +
      `inventory ${inventory.items} items (${rate(inventory.items, inventory.elapsedMs)} items/s)\n`,
  );
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
