import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import type { OutboxRelay } from '@mercato/persistence';
import { FeedsService } from './feeds/feeds.service';
import { inventoryRuntimeConfig } from './inventory.config';
import { ReservationsService } from './reservations/reservations.service';
import { StockPublisher } from './stock/stock.publisher';
import { StockRepository } from './stock/stock.repository';

/** A task run every `intervalMs`, one pass at a time, errors logged and retried next time. */
class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  runOnce(): Promise<void> {
    this.running ??= this.task()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.warn(`${this.name} failed, retrying later: ${(error as Error).message}`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/**
 * The inventory's background work: the outbox relay of the Inventory table, the hold sweeper and
 * the feed reconciliation. Started on module init, stopped on module destroy (before the bus
 * closes, so a pass in progress can still publish). Every job is safe on several replicas.
 */
@Injectable()
export class InventoryJobs implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InventoryJobs.name);
  readonly relay: OutboxRelay;
  private readonly sweeper: Periodic;
  private readonly reconciler: Periodic;

  constructor(
    stock: StockRepository,
    publisher: StockPublisher,
    reservations: ReservationsService,
    feeds: FeedsService,
    @InjectConfig() config: object,
  ) {
    const settings = inventoryRuntimeConfig(config);
    this.relay = stock.outboxRelay({
      name: 'inventory',
      intervalMs: settings.INVENTORY_OUTBOX_INTERVAL_MS,
      graceMs: settings.INVENTORY_OUTBOX_GRACE_MS,
      deliver: (key) => publisher.deliver(key),
    });
    this.sweeper = new Periodic(
      'hold sweep',
      settings.INVENTORY_SWEEP_INTERVAL_MS,
      () => reservations.sweep(),
      this.logger,
    );
    this.reconciler = new Periodic(
      'feed reconciliation',
      settings.INVENTORY_RECONCILE_INTERVAL_MS,
      () => feeds.reconcile(),
      this.logger,
    );
  }

  onModuleInit(): void {
    this.relay.start();
    this.sweeper.start();
    this.reconciler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.relay.stop(), this.sweeper.stop(), this.reconciler.stop()]);
  }
}
