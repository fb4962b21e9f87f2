import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { SearchReindexStatus } from '@mercato/contracts';
import { ProductIndex } from '@mercato/search-index';
import { ProductLoader } from '../products/product-loader';
import { SearchIndexer } from '../products/search-indexer.service';

const IDLE: SearchReindexStatus = {
  state: 'idle',
  reindexId: null,
  processed: 0,
  indexed: 0,
  expected: 0,
  startedAt: null,
  finishedAt: null,
  error: null,
};

/**
 * The full rebuild of the product index (`npm run search:reindex`): every catalog product into a
 * new index beside the live one, which the port then swaps in atomically, so a mapping change or
 * a repair never shows shoppers a half-filled index. One rebuild at a time per search process;
 * while it runs, the indexer's ordinary writes reach both indexes (the port's rebuild contract),
 * so a change made meanwhile is not lost.
 */
@Injectable()
export class SearchReindex implements OnApplicationShutdown {
  private readonly logger = new Logger(SearchReindex.name);
  private current: SearchReindexStatus = IDLE;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly index: ProductIndex,
    private readonly loader: ProductLoader,
    private readonly indexer: SearchIndexer,
  ) {}

  /** Starts a rebuild unless one is running; answers at once with its status. */
  start(): { started: boolean; status: SearchReindexStatus } {
    if (this.running) return { started: false, status: this.status() };
    this.current = {
      ...IDLE,
      state: 'running',
      reindexId: randomUUID(),
      startedAt: new Date().toISOString(),
    };
    this.running = this.run().finally(() => (this.running = undefined));
    return { started: true, status: this.status() };
  }

  status(): SearchReindexStatus {
    return { ...this.current };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async run(): Promise<void> {
    const started = Date.now();
    try {
      this.current.expected = await this.index.count();
      const rebuild = await this.index.beginRebuild();
      try {
        for await (const ids of this.loader.productIds()) {
          if (this.stopping) throw new Error('the search process is shutting down');
          const documents = await this.indexer.documentsOf(ids);
          const failures = await rebuild.upsertMany(documents);
          for (const failure of failures) {
            this.logger.warn(`product ${failure.productId} not indexed: ${failure.reason}`);
          }
          this.current.processed += ids.length;
          this.current.indexed += documents.length - failures.length;
        }
        await rebuild.complete();
      } catch (error) {
        await rebuild.abort().catch((abortError: unknown) => {
          this.logger.warn(`abandoning the new index failed: ${String(abortError)}`);
        });
        throw error;
      }
      this.finish('completed', null);
      this.logger.log(
        `reindex ${this.current.reindexId} completed: ${this.current.indexed} of ` +
          `${this.current.processed} products in ${Date.now() - started} ms`,
      );
    } catch (error) {
      this.finish('failed', String(error));
      this.logger.error(`reindex ${this.current.reindexId} failed: ${String(error)}`);
    }
  }

  private finish(state: 'completed' | 'failed', error: string | null): void {
    this.current = { ...this.current, state, error, finishedAt: new Date().toISOString() };
  }
}
