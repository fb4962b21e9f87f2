import { Injectable, Logger } from '@nestjs/common';
import {
  productFeedRowSchema,
  zodFieldErrors,
  type ProductFeedRowResult,
} from '@mercato/contracts';
import { CatalogErrorCode, CatalogException } from '../catalog.exception';
import { ProductWritesService } from './product-writes.service';

export interface ProductFeedChunk {
  feedId: string;
  sellerId: string;
  /** Position in the whole feed of this chunk's first row. */
  offset: number;
  rows: unknown[];
}

/** Rows of one chunk written at once (each row is several single-item writes). */
const ROW_CONCURRENCY = 8;

/**
 * A seller's bulk product feed, one chunk at a time. Every row is a product body plus the
 * seller's `externalId`, which names the product across feeds: a new externalId creates a
 * product, a known one updates it, and a row equal to what is stored is 'unchanged' and writes
 * nothing (so a re-sent feed publishes no events). A bad row is 'rejected' with its reason,
 * code and field errors (relative to the row); the other rows are applied.
 */
@Injectable()
export class ProductFeedService {
  private readonly logger = new Logger(ProductFeedService.name);

  constructor(private readonly writes: ProductWritesService) {}

  async import(chunk: ProductFeedChunk): Promise<{ results: ProductFeedRowResult[] }> {
    const results: ProductFeedRowResult[] = new Array<ProductFeedRowResult>(chunk.rows.length);
    const seen = new Set<string>();
    let next = 0;
    const work = async () => {
      for (let i = next++; i < chunk.rows.length; i = next++) {
        results[i] = await this.importRow(chunk, i, seen);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROW_CONCURRENCY, chunk.rows.length) }, work));
    const count = (status: string) => results.filter((r) => r.status === status).length;
    this.logger.log(
      `feed ${chunk.feedId} of ${chunk.sellerId}, rows ${chunk.offset}..${chunk.offset + chunk.rows.length - 1}: ` +
        `${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ` +
        `${count('rejected')} rejected`,
    );
    return { results };
  }

  private async importRow(
    chunk: ProductFeedChunk,
    index: number,
    seen: Set<string>,
  ): Promise<ProductFeedRowResult> {
    const row = chunk.offset + index;
    const parsed = productFeedRowSchema.safeParse(chunk.rows[index]);
    if (!parsed.success) {
      const raw = chunk.rows[index] as { externalId?: unknown } | null;
      return {
        row,
        status: 'rejected',
        ...(typeof raw?.externalId === 'string' ? { externalId: raw.externalId } : {}),
        code: CatalogErrorCode.ValidationFailed,
        reason: 'The row is not a valid product',
        errors: zodFieldErrors(parsed.error),
      };
    }
    const { externalId, ...body } = parsed.data;
    if (seen.has(externalId)) {
      return {
        row,
        status: 'rejected',
        externalId,
        code: CatalogErrorCode.ValidationFailed,
        reason: `externalId ${externalId} appears more than once in this chunk`,
        errors: [{ field: 'externalId', message: 'duplicate in this chunk' }],
      };
    }
    seen.add(externalId);
    try {
      const { status, result } = await this.writes.upsertExternal(chunk.sellerId, externalId, body);
      return { row, status, externalId, productId: result.productId, revision: result.revision };
    } catch (error) {
      if (!(error instanceof CatalogException)) throw error;
      return {
        row,
        status: 'rejected',
        externalId,
        code: error.code,
        reason: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
      };
    }
  }
}
