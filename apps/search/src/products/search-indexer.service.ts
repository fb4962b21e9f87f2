import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ProductIndex, type ProductDocument } from '@mercato/search-index';
import { mapLimit } from './map-limit';
import { SalesSignals } from '../signals/sales-signals.service';
import {
  productDocumentOf,
  type DocumentOutcome,
  type SalesSignals as Signals,
} from './product-document';
import { ProductLoader } from './product-loader';

/** Stock events of one product within this window cost one re-index. */
const STOCK_DEBOUNCE_MS = 200;
/** Products loaded at once during a full re-index (each costs three details and a stock read). */
const FULL_REINDEX_CONCURRENCY = 8;
/** Waits between attempts of the start-up backfill while catalog is not answering yet. */
const BACKFILL_RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];
/** A product without sales in the signals' windows. */
const NO_SALES: Signals = { popularity: 0, salesVelocity: 0 };
/**
 * When the daily full re-index runs, after midnight UTC: sales signals are per UTC day, so a
 * product's velocity decays (and old sales leave the popularity window) only at the day's turn,
 * with or without new sales.
 */
const DAILY_REINDEX_AFTER_MIDNIGHT_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Keeps the product index in step with catalog and inventory: one product on a product or
 * stock change, every product on a promotion change and at start when the index is empty.
 * Re-indexing rebuilds the whole document from the services, so it is idempotent and a
 * late or repeated event does no harm. Every write is refreshed at once: visible to search
 * as soon as the re-index finishes.
 */
@Injectable()
export class SearchIndexer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SearchIndexer.name);
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** The full re-index running now, and whether another was asked for meanwhile. */
  private fullRun: Promise<void> | undefined;
  private fullAgain = false;
  private closed = false;
  private daily: NodeJS.Timeout | undefined;

  constructor(
    private readonly index: ProductIndex,
    private readonly loader: ProductLoader,
    private readonly sales: SalesSignals,
  ) {}

  onApplicationBootstrap(): void {
    void this.backfillIfEmpty();
    this.scheduleDailyReindex(Date.now());
  }

  onApplicationShutdown(): void {
    this.closed = true;
    clearTimeout(this.daily);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  /** Re-indexes one product now; returns its document, or undefined when it is not indexable. */
  async reindex(productId: string): Promise<ProductDocument | undefined> {
    const outcome = await this.outcomeOf(productId);
    await this.apply([[productId, outcome]]);
    return outcome.indexable ? outcome.document : undefined;
  }

  /** Re-indexes the product once the burst of changes it is part of is over. */
  scheduleReindex(productId: string): void {
    if (this.closed) return;
    clearTimeout(this.pending.get(productId));
    const timer = setTimeout(() => void this.runPending(productId), STOCK_DEBOUNCE_MS);
    timer.unref();
    this.pending.set(productId, timer);
  }

  /** Runs every scheduled re-index now instead of at the end of its window. */
  async flushPending(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((productId) => this.runPending(productId)));
  }

  private async runPending(productId: string): Promise<void> {
    clearTimeout(this.pending.get(productId));
    if (!this.pending.delete(productId)) return;
    try {
      await this.reindex(productId);
    } catch (error) {
      // The stock event was acknowledged already; the product's next change repairs it.
      this.logger.warn(`re-index of ${productId} failed: ${String(error)}`);
    }
  }

  /** Starts a full re-index in the background (a failure is logged; the next change repairs it). */
  startFullReindex(reason: string): void {
    this.requestFullReindex(reason).catch((error: unknown) =>
      this.logger.warn(`full re-index (${reason}) failed: ${String(error)}`),
    );
  }

  /**
   * Re-indexes every product. Asked again while running, it runs once more
   * afterwards (the changes may have come after the running pass read a product), never twice.
   */
  requestFullReindex(reason: string): Promise<void> {
    if (this.fullRun) {
      this.fullAgain = true;
      return this.fullRun;
    }
    this.fullRun = (async () => {
      try {
        do {
          this.fullAgain = false;
          await this.reindexAll(reason);
        } while (this.fullAgain && !this.closed);
      } finally {
        this.fullRun = undefined;
      }
    })();
    return this.fullRun;
  }

  private async reindexAll(reason: string): Promise<void> {
    const started = Date.now();
    let seen = 0;
    let indexed = 0;
    this.logger.log(`full re-index started (${reason})`);
    for await (const ids of this.loader.productIds()) {
      if (this.closed) return;
      const outcomes = await this.outcomesOf(ids);
      await this.apply(outcomes);
      seen += ids.length;
      indexed += outcomes.filter(([, outcome]) => outcome.indexable).length;
      this.logger.log(`full re-index: ${seen} products read, ${indexed} indexed`);
    }
    this.logger.log(
      `full re-index finished (${reason}): ${indexed} of ${seen} products in ${Date.now() - started} ms`,
    );
  }

  private async backfillIfEmpty(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        if ((await this.index.count()) > 0) return;
        await this.requestFullReindex('backfill of an empty index');
        return;
      } catch (error) {
        const waitMs = BACKFILL_RETRY_MS[Math.min(attempt, BACKFILL_RETRY_MS.length - 1)];
        this.logger.warn(`backfill failed, retrying in ${waitMs} ms: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
      }
    }
  }

  /**
   * The documents of the indexable ones among `productIds`, built as a re-index would build
   * them but not written (the rebuild writes them into its new index).
   */
  async documentsOf(productIds: readonly string[]): Promise<ProductDocument[]> {
    const outcomes = await this.outcomesOf(productIds);
    return outcomes.flatMap(([, outcome]) => (outcome.indexable ? [outcome.document] : []));
  }

  private async outcomesOf(
    productIds: readonly string[],
  ): Promise<(readonly [string, DocumentOutcome])[]> {
    const signals = await this.sales.signalsOfMany(productIds);
    return mapLimit(productIds, FULL_REINDEX_CONCURRENCY, async (id) => {
      const outcome = await this.outcomeOf(id, signals.get(id) ?? NO_SALES);
      return [id, outcome] as const;
    });
  }

  private async outcomeOf(productId: string, signals?: Signals): Promise<DocumentOutcome> {
    const [details, sales] = await Promise.all([
      this.loader.details(productId),
      signals ?? this.sales.signalsOf(productId),
    ]);
    const availability = await this.loader.availability(details);
    return productDocumentOf(details, availability, sales);
  }

  /** A full re-index shortly after every midnight UTC, while the process runs. */
  private scheduleDailyReindex(now: number): void {
    const next = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS + DAILY_REINDEX_AFTER_MIDNIGHT_MS;
    this.daily = setTimeout(() => {
      this.startFullReindex('daily: sales signals move on a day');
      this.scheduleDailyReindex(Date.now());
    }, next - now);
    this.daily.unref();
  }

  /** Writes the outcomes (documents in, unindexable products out) and makes them visible. */
  private async apply(outcomes: readonly (readonly [string, DocumentOutcome])[]): Promise<void> {
    const documents: ProductDocument[] = [];
    const removed: string[] = [];
    for (const [productId, outcome] of outcomes) {
      if (outcome.indexable) documents.push(outcome.document);
      else removed.push(productId);
    }
    const failures = [
      ...(documents.length ? await this.index.upsertMany(documents) : []),
      ...(removed.length ? await this.index.deleteMany(removed) : []),
    ];
    await this.index.refresh();
    for (const failure of failures) {
      this.logger.warn(`product ${failure.productId} not indexed: ${failure.reason}`);
    }
  }
}
