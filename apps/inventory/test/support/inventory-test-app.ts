import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigModule } from '@mercato/config';
import type { WarehouseId } from '@mercato/contracts';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { PersistenceModule } from '@mercato/persistence';
import { type TestDynamo } from '@mercato/testing';
import { FeedsService } from '../../src/feeds/feeds.service';
import { InventoryClock } from '../../src/inventory.clock';
import { InventoryJobs } from '../../src/inventory.jobs';
import { InventoryModule } from '../../src/inventory.module';
import { ReservationsService } from '../../src/reservations/reservations.service';
import { decodeStockItem, type StockItem } from '../../src/stock/stock.model';
import { StockPublisher } from '../../src/stock/stock.publisher';
import { StockService } from '../../src/stock/stock.service';
import { INVENTORY_TABLE } from '../../src/stock/inventory.tables';

/** A clock the test moves forward (expiry, retention) instead of sleeping. */
export class TestClock extends InventoryClock {
  private offset = 0;

  override now(): number {
    return Date.now() + this.offset;
  }

  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface InventoryTestApp {
  moduleRef: TestingModule;
  clock: TestClock;
  bus: MessageBus;
  stock: StockService;
  reservations: ReservationsService;
  feeds: FeedsService;
  jobs: InventoryJobs;
  /** Waits until every change so far is announced (events published, outbox marks cleared). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One inventory replica on a shared test dynalite, with its own in-process bus and clock.
 * Background jobs run only when a test calls them (their intervals are an hour), unless
 * `config` says otherwise. Start several to act as several replicas.
 */
export async function startInventoryTestApp(
  dynamo: TestDynamo,
  config: Record<string, unknown> = {},
): Promise<InventoryTestApp> {
  const clock = new TestClock();
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        ...dynamo.config,
        MERCATO_SEED: false,
        MERCATO_SEED_PRODUCTS: 0,
        MERCATO_SEED_RANDOM: 1,
        INVENTORY_SWEEP_INTERVAL_MS: 3_600_000,
        INVENTORY_OUTBOX_INTERVAL_MS: 3_600_000,
        INVENTORY_RECONCILE_INTERVAL_MS: 3_600_000,
        ...config,
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
    .overrideProvider(InventoryClock)
    .useValue(clock)
    .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
    .compile();
  await moduleRef.init();
  return {
    moduleRef,
    clock,
    bus: moduleRef.get(MessageBus),
    stock: moduleRef.get(StockService),
    reservations: moduleRef.get(ReservationsService),
    feeds: moduleRef.get(FeedsService),
    jobs: moduleRef.get(InventoryJobs),
    settle: async () => {
      await moduleRef.get(StockPublisher).drain();
      await moduleRef.get(MessageBus).drain();
    },
    close: () => moduleRef.close(),
  };
}

/**
 * A new SKU (through the ProductChanged path) stocked with the given units per warehouse
 * (through restocks). Answers the SKU.
 */
export async function stockedSku(
  app: InventoryTestApp,
  units: Partial<Record<WarehouseId, number>>,
  sellerId?: string,
): Promise<string> {
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  await app.stock.createForProduct({
    productId: `P-${sku}`,
    revision: 1,
    sellerId,
    variants: [{ variantId: 'V1', sku }],
  });
  for (const [warehouseId, quantity] of Object.entries(units)) {
    if (!quantity) continue;
    await app.stock.restock({
      operationId: `seed-${sku}-${warehouseId}`,
      sku,
      warehouseId: warehouseId as WarehouseId,
      quantity,
    });
  }
  return sku;
}

/** The stored item as read from the table (no cache), records decoded. */
export async function storedItem(dynamo: TestDynamo, sku: string): Promise<StockItem> {
  return decodeStockItem(await rawStoredItem(dynamo, sku));
}

/** The stored item exactly as the table holds it. */
export async function rawStoredItem(dynamo: TestDynamo, sku: string): Promise<StockItem> {
  const { Item } = await dynamo.doc.send(
    new GetCommand({
      TableName: dynamo.tables.of(INVENTORY_TABLE),
      Key: { sku },
      ConsistentRead: true,
    }),
  );
  return Item as StockItem;
}

/** Sums of a stored item over its warehouses. */
export function totals(item: StockItem): {
  onHand: number;
  reserved: number;
  available: number;
} {
  const ws = Object.values(item.warehouses);
  return {
    onHand: ws.reduce((s, w) => s + w.onHand, 0),
    reserved: ws.reduce((s, w) => s + w.reserved, 0),
    available: ws.reduce((s, w) => s + w.available, 0),
  };
}
