import { Injectable, Logger } from '@nestjs/common';
import { KeyValueCache, TwoLevelCache } from '@mercato/cache';
import {
  REGIONS,
  ProductChanged,
  PromotionsChanged,
  StockChanged,
  type Region,
} from '@mercato/contracts';
import { OnEvent } from '@mercato/messaging';
import { LRUCache } from 'lru-cache';
import { Counter, register } from 'prom-client';
import { CatalogGatewayService } from './catalog.service';

/** How long a local copy may serve without asking the shared cache: the staleness bound across gateways. */
const LOCAL_TTL_SECONDS = 1;
/**
 * Safety net in the shared cache should an invalidation ever be missed (the outboxes make that
 * rare), spread ±10% so entries written together do not all expire together: measured on the
 * stack, a fixed 60 s sent every hot product back to the services at once each minute and
 * halved throughput while they were rebuilt.
 */
const SHARED_TTL_SECONDS = 300;
const sharedTtl = (): number => SHARED_TTL_SECONDS * (0.9 + Math.random() * 0.2);

const KEY_PREFIX = 'gateway:product-detail:v1:';
const keyOf = (productId: string, region: Region) => `${KEY_PREFIX}${region}:${productId}`;
const AVAILABILITY_PREFIX = 'gateway:product-availability:v1:';
const availabilityKeyOf = (productId: string, region: Region) =>
  `${AVAILABILITY_PREFIX}${region}:${productId}`;

const degraded =
  (register.getSingleMetric('mercato_read_model_degraded_total') as
    Counter<'read_model'> | undefined) ??
  new Counter({
    name: 'mercato_read_model_degraded_total',
    help: 'Reads served from the service path because the shared cache could not be reached',
    labelNames: ['read_model'] as const,
  });

/**
 * Seconds an entry may be kept: the shared TTL, cut short when a promotion starts or ends
 * before it (the price changes then without any event). Undefined: do not store at all.
 */
export function ttlUntil(
  pricesValidUntil: string | null | undefined,
  nowMs = Date.now(),
): number | undefined {
  if (!pricesValidUntil) return sharedTtl();
  const seconds = (Date.parse(pricesValidUntil) - nowMs) / 1000;
  if (!(seconds > 0.05)) return undefined;
  return Math.min(sharedTtl(), seconds);
}

/**
 * Product detail and availability as the API sends them, per region, kept as serialised JSON (docs/performance.md: the
 * body is sent as is — no bus round trip, no re-serialisation). An in-process LRU sits in front
 * of the shared cache (Redis on the stack). Product and stock events drop a product's entries
 * (promotion events all detail entries);
 * when the shared cache is away, reads fall back to the service path and the API keeps working.
 */
@Injectable()
export class ProductDetailReadModel {
  private readonly logger = new Logger(ProductDetailReadModel.name);
  private readonly cache: TwoLevelCache;
  private cacheDown = false;
  /** Change events seen per product, so an answer fetched across a change is not stored. */
  private readonly changes = new LRUCache<string, number>({ max: 100_000 });
  /** Promotion changes seen: each one may change every product's price. */
  private priceChanges = 0;

  constructor(
    shared: KeyValueCache,
    private readonly catalog: CatalogGatewayService,
  ) {
    this.cache = new TwoLevelCache(shared, { ttlSeconds: LOCAL_TTL_SECONDS, maxEntries: 50_000 });
  }

  /** The detail JSON if this process holds it right now (the fast path), else undefined. */
  peek(productId: string, region: Region): string | undefined {
    return this.cache.peekLocal(keyOf(productId, region));
  }

  /**
   * The detail JSON of a product in a region: from the read model, else built and stored.
   * `correlationId` goes with the trip to the services (concurrent misses share the first's).
   */
  json(productId: string, region: Region, correlationId: string): Promise<string> {
    return this.readThrough(keyOf(productId, region), productId, async () => {
      const detail = await this.catalog.product(productId, region, correlationId);
      return { json: JSON.stringify(detail), ttlSeconds: ttlUntil(detail.pricesValidUntil) };
    });
  }

  /**
   * The availability JSON of a product in a region (stock per variant and warehouse): kept
   * like detail, dropped by the same product and stock events.
   */
  availabilityJson(productId: string, region: Region, correlationId: string): Promise<string> {
    return this.readThrough(availabilityKeyOf(productId, region), productId, async () => ({
      json: JSON.stringify(await this.catalog.availability(productId, region, correlationId)),
      ttlSeconds: sharedTtl(),
    }));
  }

  /** Builds under way per key: concurrent misses of one product share one trip to the services. */
  private readonly building = new Map<string, Promise<string>>();

  private readThrough(
    key: string,
    productId: string,
    build: () => Promise<{ json: string; ttlSeconds: number | undefined }>,
  ): Promise<string> {
    const underway = this.building.get(key);
    if (underway) return underway;
    const reading = this.readThroughOnce(key, productId, build).finally(() =>
      this.building.delete(key),
    );
    this.building.set(key, reading);
    return reading;
  }

  private async readThroughOnce(
    key: string,
    productId: string,
    build: () => Promise<{ json: string; ttlSeconds: number | undefined }>,
  ): Promise<string> {
    const cached = await this.cache.get(key).catch((error: Error) => this.degrade(error));
    if (cached !== undefined) return cached;
    const generation = this.generationOf(productId);
    const { json, ttlSeconds } = await build();
    // A change event that arrived while we were asking may have made this answer old: serve
    // it to this caller, but do not store it.
    if (this.generationOf(productId) !== generation) return json;
    if (ttlSeconds === undefined) return json;
    await this.cache
      .set(key, json, ttlSeconds)
      .then(() => this.recovered())
      .catch((error: Error) => this.degrade(error));
    return json;
  }

  @OnEvent(ProductChanged, { group: 'gateway' })
  async onProductChanged(event: { productId: string }): Promise<void> {
    await this.forget(event.productId);
  }

  /**
   * A promotion was created or changed: any product's price may differ, so every entry goes
   * (local copies at once, the shared ones by prefix). Rare, admin-driven.
   */
  @OnEvent(PromotionsChanged, { group: 'gateway' })
  async onPromotionsChanged(): Promise<void> {
    this.priceChanges++;
    await this.cache.deleteByPrefix(KEY_PREFIX);
  }

  @OnEvent(StockChanged, { group: 'gateway' })
  async onStockChanged(event: { productId: string }): Promise<void> {
    await this.forget(event.productId);
  }

  /**
   * Drops a product's entries everywhere this gateway can reach. A failure is thrown so the bus
   * redelivers the event (and dead-letters it after its retries): a missed invalidation would
   * leave a stale product until the shared TTL.
   */
  private async forget(productId: string): Promise<void> {
    this.changes.set(productId, (this.changes.get(productId) ?? 0) + 1);
    await this.cache.delete(
      ...REGIONS.flatMap((region) => [
        keyOf(productId, region),
        availabilityKeyOf(productId, region),
      ]),
    );
  }

  /** How many change events this process has seen for the product (recent products only). */
  private generationOf(productId: string): number {
    return (this.changes.get(productId) ?? 0) + this.priceChanges * 1_000_000_000;
  }

  private degrade(error: Error): undefined {
    degraded.labels('product-detail').inc();
    if (!this.cacheDown) {
      this.cacheDown = true;
      this.logger.warn(
        `shared cache unavailable, serving product detail from the services: ${error.message}`,
      );
    }
    return undefined;
  }

  private recovered(): void {
    if (this.cacheDown) {
      this.cacheDown = false;
      this.logger.log('shared cache reachable again; product detail is served from the read model');
    }
  }
}
