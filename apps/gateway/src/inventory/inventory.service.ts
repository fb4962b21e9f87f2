import { Injectable } from '@nestjs/common';
import {
  ApplyStockFeed,
  FEED_MAX_ROWS,
  RestockStock,
  TransferStock,
  type FeedRowResult,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import type { StockFeedResponse } from './inventory.dto';

/** Chunks of one feed sent to inventory at once: enough to overlap, few enough to stay fair. */
const FEED_CHUNKS_IN_FLIGHT = 2;
/** A chunk is up to a thousand conditional writes: far more than a query's reply timeout. */
const FEED_CHUNK_TIMEOUT_MS = 60_000;

/** The gateway's side of inventory: commands over the bus, big feeds split into chunks. */
@Injectable()
export class InventoryGatewayService {
  constructor(private readonly bus: MessageBus) {}

  restock(command: RequestOf<typeof RestockStock>): Promise<ResponseOf<typeof RestockStock>> {
    return this.bus.request(RestockStock, command, { key: command.sku });
  }

  transfer(command: RequestOf<typeof TransferStock>): Promise<ResponseOf<typeof TransferStock>> {
    return this.bus.request(TransferStock, command, { key: command.sku });
  }

  /**
   * Applies a feed of any size as chunks of FEED_MAX_ROWS (a bus message stays small), each
   * with its offset so row numbers in the results are the feed's own.
   */
  async applyFeed(
    feedId: string,
    sellerId: string | undefined,
    rows: readonly unknown[],
  ): Promise<StockFeedResponse> {
    const offsets: number[] = [];
    for (let offset = 0; offset < rows.length; offset += FEED_MAX_ROWS) offsets.push(offset);
    const chunks: FeedRowResult[][] = new Array<FeedRowResult[]>(offsets.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < offsets.length) {
        const index = next++;
        const offset = offsets[index];
        const { results } = await this.bus.request(
          ApplyStockFeed,
          { feedId, sellerId, offset, rows: rows.slice(offset, offset + FEED_MAX_ROWS) },
          { key: `${feedId}:${offset}`, timeoutMs: FEED_CHUNK_TIMEOUT_MS },
        );
        chunks[index] = results;
      }
    };
    await Promise.all(Array.from({ length: FEED_CHUNKS_IN_FLIGHT }, worker));
    const results = chunks.flat();
    const count = (status: FeedRowResult['status']) =>
      results.filter((r) => r.status === status).length;
    return {
      feedId,
      summary: {
        rows: rows.length,
        applied: count('applied'),
        unchanged: count('unchanged'),
        rejected: count('rejected'),
      },
      results,
    };
  }
}
