import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { DEMO_CATEGORIES, generateCatalog, type DemoCategory } from '@mercato/demo-data';
import { DynamoLifecycle } from '@mercato/persistence';
import type { CatalogSeedConfig } from '../catalog.config';
import { CategoriesRepository, type CategorySeedRecord } from '../categories/categories.repository';
import { CategoriesService } from '../categories/categories.service';
import { ProductsService } from '../products/products.service';
import { ProductsRepository } from '../products/products.repository';
import { CatalogSeedRepository } from './catalog-seed.repository';

/**
 * Item layout the seed writes. 2: meta items carry the whole product, seller and version, SKUs
 * are claimed, leaf categories list their product ids. A store seeded with an older layout is
 * seeded again (same products, idempotent writes) on the next start.
 */
export const CATALOG_SEED_LAYOUT = 2;

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
    private readonly seeds: CatalogSeedRepository,
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
    const marker = await this.seeds.findMarker();
    const wanted = {
      seed: this.config.MERCATO_SEED_RANDOM,
      products: this.config.MERCATO_SEED_PRODUCTS,
    };
    if (marker && marker.layout !== CATALOG_SEED_LAYOUT) {
      this.logger.warn(
        `catalog was seeded with item layout ${String(marker.layout ?? 1)}; ` +
          `writing layout ${CATALOG_SEED_LAYOUT} (the same ${String(marker.products)} products)`,
      );
      return this.seed({ seed: marker.seed, products: marker.products });
    }
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
    const writer = this.seeds.itemWriter();
    const members = new Map<string, string[]>();
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
      const inLeaf = members.get(product.categoryId);
      if (inLeaf) inLeaf.push(product.productId);
      else members.set(product.categoryId, [product.productId]);
      done++;
      if (Date.now() - lastReport >= 3_000) {
        lastReport = Date.now();
        report();
      }
    }
    await writer.flush();
    const records = categoryRecords(DEMO_CATEGORIES, members);
    for (let i = 0; i < records.length; i += 8) {
      await Promise.all(
        records.slice(i, i + 8).map((r) => this.categoriesRepository.upsertSeeded(r)),
      );
    }
    const elapsedMs = Date.now() - started;
    await this.seeds.writeMarker({
      seed: options.seed,
      products: options.products,
      layout: CATALOG_SEED_LAYOUT,
      items: writer.written,
      finishedAt: new Date().toISOString(),
    });
    this.categories.invalidate();
    this.productsService.forget();
    report();
    this.logger.log(
      `catalog seeded: ${options.products} products, ${writer.written} items in ${(elapsedMs / 1000).toFixed(1)} s`,
    );
    return { products: options.products, items: writer.written, elapsedMs };
  }
}

/** The demo tree with each leaf's products; an inner category's count sums its subtree. */
function categoryRecords(
  roots: readonly DemoCategory[],
  members: ReadonlyMap<string, string[]>,
): CategorySeedRecord[] {
  const records: CategorySeedRecord[] = [];
  const walk = (nodes: readonly DemoCategory[]): number =>
    nodes.reduce((total, c, position) => {
      const record: CategorySeedRecord = {
        categoryId: c.categoryId,
        name: c.name,
        slug: c.slug,
        parentId: c.parentId,
        position,
        productCount: 0,
        productIds: c.children.length ? [] : (members.get(c.categoryId) ?? []),
      };
      records.push(record);
      record.productCount = c.children.length ? walk(c.children) : record.productIds.length;
      return total + record.productCount;
    }, 0);
  walk(roots);
  return records;
}
