import { createHash } from 'node:crypto';

/** What a cursor is bound to: every filter of the query, not the page size. */
export interface CursorQuery {
  q?: string;
  categoryId?: string;
  brand?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  minRating?: number;
  sort?: string;
  /** Personal ranking orders this shopper's pages: another shopper's cursor does not fit. */
  shopperId?: string;
  region: string;
}

const HASH_LENGTH = 16;

/** A short digest of the query, fields in a fixed order so equal queries hash alike. */
export function queryHash(query: CursorQuery): string {
  const canonical = JSON.stringify([
    query.q?.trim() ?? '',
    query.categoryId ?? null,
    query.brand ?? null,
    query.minPrice ?? null,
    query.maxPrice ?? null,
    query.inStock ?? null,
    query.region,
    query.minRating ?? null,
    query.sort ?? 'relevance',
    query.shopperId ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, HASH_LENGTH);
}

/**
 * The opaque cursor of the page starting at `offset`: base64url of `offset.hash`. Only the
 * offset for now; a search-after key can replace it later without clients noticing.
 */
export function encodeCursor(offset: number, query: CursorQuery): string {
  return Buffer.from(`${offset}.${queryHash(query)}`, 'utf8').toString('base64url');
}

/** The offset a cursor stands for, or undefined when it was not issued for this query. */
export function decodeCursor(cursor: string, query: CursorQuery): number | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const match = /^(0|[1-9]\d{0,8})\.([A-Za-z0-9_-]+)$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match || match[2] !== queryHash(query)) return undefined;
  return Number(match[1]);
}
