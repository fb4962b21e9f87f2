import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { InjectConfig } from '@mercato/config';
import { DEMO_CATEGORIES, generateCatalog, type DemoCategory } from '@mercato/demo-data';
import { BatchWriter, DynamoLifecycle, TableNames } from '@mercato/persistence';
import type { CatalogSeedConfig } from '../catalog.config';
import { CategoriesRepository, type CategoryRecord } from '../categories/categories.repository';
import { CategoriesService } from '../categories/categories.service';
import { ProductsService } from '../products/products.service';
import { ProductsRepository } from '../products/products.repository';

export const CATALOG_SEED_MARKER = { productId: '#seed', variantId: '#catalog' } as const;

export interface SeedOptions {
  seed: number;
  products: number;
  /** Called every few seconds and at the end. */
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  products: number;
  total: number;
  items: number;
  elapsedMs: number;
}

export interface SeedResult {
  products: number;
  items: number;
  elapsedMs: number;
}

/**
 * Loads the demo catalog into the Products table on first start: BatchWrite puts of
 * deterministic items (a re-run rewrites the same items), the category tree with product counts,
 * and last a marker item, so an interrupted seed simply runs again on the next start.
 */
@Injectable()
export class CatalogSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogSeeder.name);

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly dynamo: DynamoLifecycle,
    private readonly products: ProductsRepository,
    private readonly categoriesRepository: CategoriesRepository,
    private readonly categories: CategoriesService,
    private readonly productsService: ProductsService,
    @InjectConfig() private readonly config: CatalogSeedConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.MERCATO_SEED) return;
    await this.dynamo.runWhenReady('catalog seeding', () => this.seedIfMissing());
  }

  /** Seeds unless the marker says a catalog is already there. */
  async seedIfMissing(): Promise<SeedResult | undefined> {
    const { Item: marker } = await this.doc.send(
      new GetCommand({ TableName: this.tables.products, Key: CATALOG_SEED_MARKER }),
    );
    const wanted = {
      seed: this.config.MERCATO_SEED_RANDOM,
      products: this.config.MERCATO_SEED_PRODUCTS,
    };
    if (marker) {
      if (marker.seed !== wanted.seed || marker.products !== wanted.products) {
        this.logger.warn(
          `catalog already seeded with ${marker.products} products (seed ${marker.seed}); ` +
            `keeping it (MERCATO_RESET=true or "npm run seed" to load another one)`,
        );
      }
      return undefined;
    }
    return this.seed({
      ...wanted,
      onProgress: (p) =>
        this.logger.log(
          `catalog seed: ${p.products}/${p.total} products, ${p.items} items, ` +
            `${Math.round((p.items / Math.max(p.elapsedMs, 1)) * 1000)} items/s`,
        ),
    });
  }

  async seed(options: SeedOptions): Promise<SeedResult> {
    const started = Date.now();
    this.logger.log(`seeding ${options.products} demo products (seed ${options.seed})`);
    const writer = new BatchWriter(this.doc, this.tables.products, 6);
    const counts = new Map<string, number>();
    let done = 0;
    let lastReport = started;
    const report = () =>
      options.onProgress?.({
        products: done,
        total: options.products,
        items: writer.written,
        elapsedMs: Date.now() - started,
      });

    for (const product of generateCatalog({ seed: options.seed, products: options.products })) {
      for (const item of this.products.itemsFor(product)) await writer.add(item);
      for (const categoryId of product.categoryPath)
        counts.set(categoryId, (counts.get(categoryId) ?? 0) + 1);
      done++;
      if (Date.now() - lastReport >= 3_000) {
        lastReport = Date.now();
        report();
      }
    }
    for (const record of categoryRecords(DEMO_CATEGORIES, counts)) {
      await writer.add(this.categoriesRepository.itemFor(record));
    }
    await writer.flush();
    const elapsedMs = Date.now() - started;
    await this.doc.send(
      new PutCommand({
        TableName: this.tables.products,
        Item: {
          ...CATALOG_SEED_MARKER,
          seed: options.seed,
          products: options.products,
          items: writer.written,
          finishedAt: new Date().toISOString(),
        },
      }),
    );
    this.categories.invalidate();
    this.productsService.forget();
    report();
    this.logger.log(
      `catalog seeded: ${options.products} products, ${writer.written} items in ${(elapsedMs / 1000).toFixed(1)} s`,
    );
    return { products: options.products, items: writer.written, elapsedMs };
  }
}

function categoryRecords(
  roots: readonly DemoCategory[],
  counts: ReadonlyMap<string, number>,
): CategoryRecord[] {
  const records: CategoryRecord[] = [];
  const walk = (nodes: readonly DemoCategory[]) =>
    nodes.forEach((c, position) => {
      records.push({
        categoryId: c.categoryId,
        name: c.name,
        slug: c.slug,
        parentId: c.parentId,
        position,
        productCount: counts.get(c.categoryId) ?? 0,
      });
      walk(c.children);
    });
  walk(roots);
  return records;
}
