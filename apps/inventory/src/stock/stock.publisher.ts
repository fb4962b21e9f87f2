import { Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { StockChanged } from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { StockCache } from './stock.cache';
import type { StockItem } from './stock.model';
import { StockRepository } from './stock.repository';

/** Writes of one SKU under way in this process, for coalescing the outbox clear. */
interface InFlight {
  /** Writes from their start to the end of their announcement. */
  writes: number;
  /** Highest version announced in this round (0: none yet). */
  version: number;
  /** A publish failed in this round: leave the mark for the relay. */
  failed: boolean;
}

/**
 * The outbox side of every stock write (libs/persistence/src/outbox.ts): the write itself sets
 * the pending mark; after it, this publishes StockChanged (key = SKU) and clears the mark.
 *
 * Under hot load writes to one SKU follow each other closely. Each publishes its own event, but
 * the mark is cleared only when no write of the SKU is under way in this process (counted from
 * the write's start, not its answer), with the highest version of the round: an earlier clear
 * would fail its version condition anyway, and each clear is a write of the whole item. Measured:
 * a hot SKU's reservations are handled one after another, so counting from the answer cleared
 * after every reservation, doubling the writes to an item carrying ~1,000 holds.
 * If any publish of the round failed, nobody clears: the relay publishes the item's current state
 * once the mark is older than the grace period (it does the same for a SKU written without pause
 * for longer than that).
 */
/**
 * Least time between two StockChanged of one SKU from this process. Writes in between are
 * announced together by one trailing event carrying the newest version: consumers read the
 * current state on an event (it carries only sku, productId and version), so an intermediate
 * version adds nothing. Measured: a hot SKU's reservations sent one event each, and Kafka was
 * the busiest process of the run (45–68% of a core); the read model still follows within the
 * second the issue allows.
 */
export const ANNOUNCE_INTERVAL_MS = 100;

/** The announcements of one SKU: the newest version not yet published, and the loop publishing. */
interface Announcer {
  newest?: StockItem;
  lastPublishedAt: number;
  /** Resolves once every version handed in before it ended is published (or failed). */
  publishing?: Promise<{ version: number; failed: boolean }>;
}

@Injectable()
export class StockPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(StockPublisher.name);
  private readonly inFlight = new Map<string, InFlight>();
  private readonly announcers = new Map<string, Announcer>();
  private readonly announcing = new Set<Promise<void>>();

  constructor(
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
    const round = this.roundOf(sku);
    round.writes++;
    let item: StockItem | undefined;
    try {
      item = await attempt();
    } catch (error) {
      this.track(this.finishWrite(sku, round));
      throw error;
    }
    if (!item) {
      this.track(this.finishWrite(sku, round));
      return undefined;
    }
    this.cache.remember(item);
    this.track(this.announce(item, round));
    return item;
  }

  /** Keeps `work` until it settles, for drain(). */
  private track(work: Promise<void>): void {
    this.announcing.add(work);
    void work.finally(() => this.announcing.delete(work));
  }

  /** Waits for every announcement under way (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.announcing.size > 0) await Promise.allSettled([...this.announcing]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private roundOf(sku: string): InFlight {
    let round = this.inFlight.get(sku);
    if (!round) {
      round = { writes: 0, version: 0, failed: false };
      this.inFlight.set(sku, round);
    }
    return round;
  }

  /** Has StockChanged published for a write (or a later one); the end of a round clears the mark. */
  private async announce(item: StockItem, round: InFlight): Promise<void> {
    try {
      const outcome = await this.publishNewest(item);
      if (outcome.failed) round.failed = true;
      else round.version = Math.max(round.version, outcome.version);
    } finally {
      await this.finishWrite(item.sku, round);
    }
  }

  /**
   * Hands `item` to its SKU's announcer and waits until a StockChanged of its version or a newer
   * one is out: at once when the SKU's last event is older than ANNOUNCE_INTERVAL_MS, else by
   * the trailing event of the interval.
   */
  private publishNewest(item: StockItem): Promise<{ version: number; failed: boolean }> {
    let announcer = this.announcers.get(item.sku);
    if (!announcer) {
      announcer = { lastPublishedAt: -Infinity };
      this.announcers.set(item.sku, announcer);
    }
    if (!announcer.newest || item.version > announcer.newest.version) announcer.newest = item;
    announcer.publishing ??= this.publishUntilCurrent(item.sku, announcer);
    return announcer.publishing;
  }

  private async publishUntilCurrent(
    sku: string,
    announcer: Announcer,
  ): Promise<{ version: number; failed: boolean }> {
    let version = 0;
    let failed = false;
    try {
      while (announcer.newest) {
        const wait = announcer.lastPublishedAt + ANNOUNCE_INTERVAL_MS - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const item = announcer.newest;
        announcer.newest = undefined;
        announcer.lastPublishedAt = performance.now();
        try {
          await this.publish(item);
          version = Math.max(version, item.version);
        } catch (error) {
          failed = true;
          this.logger.warn(
            `StockChanged for ${sku} v${item.version} not published (the outbox relay will): ${(error as Error).message}`,
          );
        }
      }
    } finally {
      announcer.publishing = undefined;
      // Kept for one interval, so a write right after waits for it (a hot SKU's writes come one
      // after another); then forgotten, so the first event after a quiet spell goes at once.
      setTimeout(() => {
        if (!announcer.publishing && this.announcers.get(sku) === announcer) {
          this.announcers.delete(sku);
        }
      }, ANNOUNCE_INTERVAL_MS).unref();
    }
    return { version, failed };
  }

  /** Counts a write out of its round; the last one clears the mark if every publish succeeded. */
  private async finishWrite(sku: string, round: InFlight): Promise<void> {
    round.writes--;
    if (round.writes > 0) return;
    this.inFlight.delete(sku);
    if (!round.failed && round.version > 0) await this.clear(sku, round.version);
  }

  /** The outbox relay's delivery: publishes the item's current state and clears its mark. */
  async deliver(key: Record<string, unknown>): Promise<void> {
    const item = await this.stock.get(String(key.sku));
    if (!item) return;
    await this.publish(item);
    await this.stock.clearOutboxMark(item.sku, item.version);
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
      await this.stock.clearOutboxMark(sku, version);
    } catch (error) {
      // The mark stays; the relay publishes once more. Never fail the command for it.
      this.logger.warn(`could not clear the outbox mark of ${sku}: ${(error as Error).message}`);
    }
  }
}
