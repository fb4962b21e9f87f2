import { Injectable } from '@nestjs/common';
import {
  ApplyStockFeed,
  FEED_MAX_ROWS,
  RestockStock,
  TransferStock,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { countByStatus, sendInChunks } from '../common/feed-chunks';
import type { StockFeedResponse } from './inventory.dto';

/** Chunks of one feed sent to inventory at once: enough to overlap, few enough to stay fair. */
const FEED_CHUNKS_IN_FLIGHT = 2;
/** A chunk is up to a thousand conditional writes: far more than a query's reply timeout. */
const FEED_CHUNK_TIMEOUT_MS = 60_000;

/** The gateway's side of inventory: commands over the bus, big feeds split into chunks. */
@Injectable()
export class InventoryGatewayService {
  constructor(private readonly bus: MessageBus) {}

  restock(
    command: RequestOf<typeof RestockStock>,
    correlationId: string,
  ): Promise<ResponseOf<typeof RestockStock>> {
    return this.bus.request(RestockStock, command, { key: command.sku, correlationId });
  }

  transfer(
    command: RequestOf<typeof TransferStock>,
    correlationId: string,
  ): Promise<ResponseOf<typeof TransferStock>> {
    return this.bus.request(TransferStock, command, { key: command.sku, correlationId });
  }

  /** Applies a feed of any size, FEED_MAX_ROWS rows per bus request. */
  async applyFeed(
    feedId: string,
    sellerId: string | undefined,
    rows: readonly unknown[],
    correlationId: string,
  ): Promise<StockFeedResponse> {
    const results = await sendInChunks(
      rows,
      FEED_MAX_ROWS,
      FEED_CHUNKS_IN_FLIGHT,
      async (chunk, offset) =>
        (
          await this.bus.request(
            ApplyStockFeed,
            { feedId, sellerId, offset, rows: chunk },
            { key: `${feedId}:${offset}`, timeoutMs: FEED_CHUNK_TIMEOUT_MS, correlationId },
          )
        ).results,
    );
    const counts = countByStatus(results, ['applied', 'unchanged', 'rejected'] as const);
    return { feedId, summary: { rows: rows.length, ...counts }, results };
  }
}
