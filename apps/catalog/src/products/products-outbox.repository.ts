import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OutboxRelay, TableNames } from '@mercato/persistence';
import { PRODUCTS_TABLE } from './products.tables';

export interface PendingProductsRelayOptions {
  /** How often to look for marks left behind. */
  intervalMs: number;
  /** A mark younger than this belongs to a writer that is still delivering it: leave it. */
  graceMs: number;
  /** Derives, publishes and clears the mark of one product; throws to retry on the next pass. */
  deliver(productId: string): Promise<void>;
}

/**
 * The outbox marks of the Products table, as a relay sees them: product meta items still marked
 * pending (the mark itself is set by `ProductsRepository.writeMeta` and cleared by its
 * `clearPending`). Keeps the table, its `byOutbox` index and the item keys out of the relay's
 * owner, which only knows product ids.
 */
@Injectable()
export class ProductsOutboxRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /** A relay (not started) that hands `deliver` each product whose mark outlived the grace. */
  pendingProductsRelay(options: PendingProductsRelayOptions): OutboxRelay {
    return new OutboxRelay({
      name: 'products',
      doc: this.doc,
      table: this.tables.of(PRODUCTS_TABLE),
      intervalMs: options.intervalMs,
      graceMs: options.graceMs,
      deliver: (key) => options.deliver(key.productId as string),
    });
  }
}
