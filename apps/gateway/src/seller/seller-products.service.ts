import { Injectable } from '@nestjs/common';
import {
  CreateProduct,
  ImportProductFeed,
  MAX_PRODUCT_FEED_ROWS,
  PRODUCT_FEED_ROW_STATUSES,
  UpdateProduct,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { countByStatus, sendInChunks } from '../common/feed-chunks';
import type { ProductFeedResponse } from './seller-products.dto';

/** A chunk is hundreds of product writes: far more than a query's reply timeout. */
const FEED_CHUNK_TIMEOUT_MS = 60_000;

/** The gateway's side of catalog writes: commands over the bus, big feeds in chunks. */
@Injectable()
export class SellerProductsService {
  constructor(private readonly bus: MessageBus) {}

  create(
    command: RequestOf<typeof CreateProduct>,
    correlationId: string,
  ): Promise<ResponseOf<typeof CreateProduct>> {
    return this.bus.request(CreateProduct, command, { correlationId });
  }

  update(
    command: RequestOf<typeof UpdateProduct>,
    correlationId: string,
  ): Promise<ResponseOf<typeof UpdateProduct>> {
    return this.bus.request(UpdateProduct, command, { key: command.productId, correlationId });
  }

  /** Sends the feed in order, chunk by chunk, so a row's product is written once per feed. */
  async importFeed(
    feedId: string,
    sellerId: string,
    rows: readonly unknown[],
    correlationId: string,
  ): Promise<ProductFeedResponse> {
    const results = await sendInChunks(
      rows,
      MAX_PRODUCT_FEED_ROWS,
      1,
      async (chunk, offset) =>
        (
          await this.bus.request(
            ImportProductFeed,
            { feedId, sellerId, offset, rows: chunk },
            { key: sellerId, timeoutMs: FEED_CHUNK_TIMEOUT_MS, correlationId },
          )
        ).results,
    );
    const counts = countByStatus(results, PRODUCT_FEED_ROW_STATUSES);
    return { feedId, summary: { rows: rows.length, ...counts }, results };
  }
}
