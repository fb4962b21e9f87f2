import { Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StockChanged } from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { clearPending, TableNames } from '@mercato/persistence';
import { StockCache } from './stock.cache';
import type { StockItem } from './stock.model';
import { StockRepository } from './stock.repository';

/** Announcements of one SKU in flight in this process, for coalescing the outbox clear. */
interface InFlight {
  writes: number;
  /** Highest version written by the writes of this round. */
  version: number;
  /** A publish failed in this round: leave the mark for the relay. */
  failed: boolean;
}

/**
 * The outbox side of every stock write (libs/persistence/src/outbox.ts): the write itself sets
 * the pending mark; after it, this publishes StockChanged (key = SKU) and clears the mark.
 *
 * Under hot load many writes to one SKU overlap. Each publishes its own event, but only the last
 * one to finish clears the mark, with the highest version of the round: an earlier clear would
 * fail its version condition anyway, and one conditional write per burst is cheaper than N.
 * If any publish of the round failed, nobody clears: the relay publishes the item's current state
 * once the mark is older than the grace period.
 */
@Injectable()
export class StockPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(StockPublisher.name);
  private readonly inFlight = new Map<string, InFlight>();
  private readonly announcing = new Set<Promise<void>>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly cache: StockCache,
    private readonly stock: StockRepository,
    // Optional so tools that only seed (scripts/seed.ts) can host the module without a bus: their
    // writes keep the pending mark and a running service's relay publishes them.
    @Optional() private readonly bus?: MessageBus,
  ) {}

  /**
   * Runs one conditional write of `sku` (which sets the pending mark) and answers what it
   * answered (undefined: the condition failed, nothing to publish). The change is announced
   * after the answer, not before: the write is durable and carries its outbox mark, so the
   * event cannot be lost, and a command never waits for a broker round trip (measured: awaiting
   * publish and clear inside the handler cut reservations on the stack to ~80/s).
   */
  async write(
    sku: string,
    attempt: () => Promise<StockItem | undefined>,
  ): Promise<StockItem | undefined> {
    const item = await attempt();
    if (item) {
      this.cache.remember(item);
      const announcing = this.announce(item);
      this.announcing.add(announcing);
      void announcing.finally(() => this.announcing.delete(announcing));
    }
    return item;
  }

  /** Waits for every announcement under way (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.announcing.size > 0) await Promise.allSettled([...this.announcing]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /** Publishes StockChanged for a write; the last announcement of a burst clears the mark. */
  private async announce(item: StockItem): Promise<void> {
    const { sku } = item;
    let round = this.inFlight.get(sku);
    if (!round) {
      round = { writes: 0, version: 0, failed: false };
      this.inFlight.set(sku, round);
    }
    round.writes++;
    round.version = Math.max(round.version, item.version);
    try {
      await this.publish(item);
    } catch (error) {
      round.failed = true;
      this.logger.warn(
        `StockChanged for ${sku} v${item.version} not published (the outbox relay will): ${(error as Error).message}`,
      );
    } finally {
      round.writes--;
      if (round.writes === 0) {
        this.inFlight.delete(sku);
        if (!round.failed) await this.clear(sku, round.version);
      }
    }
  }

  /** The outbox relay's delivery: publishes the item's current state and clears its mark. */
  async deliver(key: Record<string, unknown>): Promise<void> {
    const item = await this.stock.get(String(key.sku));
    if (!item) return;
    await this.publish(item);
    await clearPending(this.doc, this.tables.inventory, { sku: item.sku }, item.version);
  }

  private async publish(item: StockItem): Promise<void> {
    if (!this.bus) throw new Error('no message bus in this process');
    await this.bus.publish(
      StockChanged,
      { sku: item.sku, productId: item.productId, version: item.version },
      { key: item.sku },
    );
  }

  private async clear(sku: string, version: number): Promise<void> {
    try {
      await clearPending(this.doc, this.tables.inventory, { sku }, version);
    } catch (error) {
      // The mark stays; the relay publishes once more. Never fail the command for it.
      this.logger.warn(`could not clear the outbox mark of ${sku}: ${(error as Error).message}`);
    }
  }
}
