import { Injectable } from '@nestjs/common';
import {
  CreateProduct,
  ImportProductFeed,
  MAX_PRODUCT_FEED_ROWS,
  MAX_PRODUCT_JSON_BYTES,
  PRODUCT_FEED_ROW_STATUSES,
  type ProductFeedRowResult,
  UpdateProduct,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { countByStatus, jsonBytesOf, sendInChunks } from '../common/feed-chunks';
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

  /**
   * Sends the feed in order, chunk by chunk (at most MAX_PRODUCT_FEED_ROWS rows and
   * MAX_PRODUCT_JSON_BYTES of them per message), so a row's product is written once per feed. A
   * row larger than any valid product is rejected here: it travels as `null`, keeping the row
   * numbers, and its result is replaced by one that names its size.
   */
  async importFeed(
    feedId: string,
    sellerId: string,
    rows: readonly unknown[],
    correlationId: string,
  ): Promise<ProductFeedResponse> {
    const oversized = new Map<number, ProductFeedRowResult>();
    const sendable = rows.map((row, index) => {
      const bytes = jsonBytesOf(row);
      if (bytes <= MAX_PRODUCT_JSON_BYTES) return row;
      oversized.set(index, oversizedRow(row, index, bytes));
      return null;
    });
    const results = await sendInChunks(
      sendable,
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
      MAX_PRODUCT_JSON_BYTES,
    );
    for (const [index, result] of oversized) results[index] = result;
    const counts = countByStatus(results, PRODUCT_FEED_ROW_STATUSES);
    return { feedId, summary: { rows: rows.length, ...counts }, results };
  }
}

/** The result of a feed row too large to be a product (it is not sent to catalog). */
function oversizedRow(row: unknown, index: number, bytes: number): ProductFeedRowResult {
  const externalId = (row as { externalId?: unknown } | null)?.externalId;
  const message = `the row is ${bytes} bytes of JSON; a product row is at most ${MAX_PRODUCT_JSON_BYTES}`;
  return {
    row: index,
    status: 'rejected',
    ...(typeof externalId === 'string' && externalId.length <= 100 ? { externalId } : {}),
    code: 'VALIDATION_FAILED',
    reason: 'The row is too large to be a product',
    errors: [{ field: '(row)', message }],
  };
}
