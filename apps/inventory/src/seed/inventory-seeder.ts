import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { generateCatalog } from '@mercato/demo-data';
import { DynamoLifecycle } from '@mercato/persistence';
import type { InventorySeedConfig } from '../inventory.config';
import { StockService } from '../stock/stock.service';
import { demoStockItems } from './demo-stock';
import { InventorySeedRepository } from './inventory-seed.repository';

export interface InventorySeedOptions {
  seed: number;
  products: number;
  onProgress?: (progress: {
    products: number;
    total: number;
    items: number;
    elapsedMs: number;
  }) => void;
}

export interface InventorySeedResult {
  products: number;
  items: number;
  elapsedMs: number;
}

/**
 * Loads the demo stock (one item per SKU, from the same generator and seed as the catalog) on
 * first start; idempotent puts, marker written last. Items have the full stock shape
 * (`available` stored, empty `ops`, seller `mercato`; see stock.model.ts).
 */
@Injectable()
export class InventorySeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(InventorySeeder.name);

  constructor(
    private readonly seeds: InventorySeedRepository,
    private readonly dynamo: DynamoLifecycle,
    private readonly stockService: StockService,
    @InjectConfig() private readonly config: InventorySeedConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.MERCATO_SEED) return;
    await this.dynamo.runWhenReady('inventory seeding', () => this.seedIfMissing());
  }

  async seedIfMissing(): Promise<InventorySeedResult | undefined> {
    const marker = await this.seeds.marker();
    const wanted = {
      seed: this.config.MERCATO_SEED_RANDOM,
      products: this.config.MERCATO_SEED_PRODUCTS,
    };
    if (marker) {
      if (marker.seed !== wanted.seed || marker.products !== wanted.products) {
        this.logger.warn(
          `inventory already seeded for ${marker.products} products (seed ${marker.seed}); keeping it`,
        );
      }
      return undefined;
    }
    return this.seed({
      ...wanted,
      onProgress: (p) =>
        this.logger.log(`inventory seed: ${p.products}/${p.total} products, ${p.items} SKUs`),
    });
  }

  async seed(options: InventorySeedOptions): Promise<InventorySeedResult> {
    const started = Date.now();
    this.logger.log(`seeding stock of ${options.products} demo products (seed ${options.seed})`);
    const writer = this.seeds.stockWriter();
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
      for (const item of demoStockItems(product)) await writer.add(item);
      done++;
      if (Date.now() - lastReport >= 3_000) {
        lastReport = Date.now();
        report();
      }
    }
    await writer.flush();
    const elapsedMs = Date.now() - started;
    await this.seeds.markSeeded({
      seed: options.seed,
      products: options.products,
      items: writer.written,
      finishedAt: new Date().toISOString(),
    });
    report();
    this.stockService.forget();
    this.logger.log(
      `inventory seeded: ${writer.written} SKUs in ${(elapsedMs / 1000).toFixed(1)} s`,
    );
    return { products: options.products, items: writer.written, elapsedMs };
  }
}
