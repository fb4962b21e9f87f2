import { randomBytes } from 'node:crypto';
import { normaliseQuery } from './search-query';

/** What a query id carries: the search's UTC day and normalised query ('' for a browse). */
export interface SearchRef {
  day: string;
  query: string;
}

/** Longest query id `RecordSearchFeedback` accepts. */
export const MAX_QUERY_ID_LENGTH = 512;

const VERSION = 1;
const NONCE_BYTES = 6;
const NONCE = /^[A-Za-z0-9_-]{8}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The query id of one search: base64url of `{"v":1,"d":day,"q":query,"n":nonce}`. Self-contained,
 * so feedback needs no lookup; the random nonce tells two searches of the same query apart, so
 * each one's click on a product counts. Not signed: anyone can make a well-formed id (see
 * docs/search.md, "Search analytics").
 */
export function encodeQueryId(ref: SearchRef): string {
  const nonce = randomBytes(NONCE_BYTES).toString('base64url');
  const body =
    ref.query === ''
      ? { v: VERSION, d: ref.day, n: nonce }
      : { v: VERSION, d: ref.day, q: ref.query, n: nonce };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * The search a query id stands for, or undefined when it is not one this service issues: not
 * base64url JSON of the current version, a malformed day or nonce, or a query that is not in
 * normal form (no search ever produces it).
 */
export function decodeQueryId(queryId: string): SearchRef | undefined {
  if (queryId.length > MAX_QUERY_ID_LENGTH || !BASE64URL.test(queryId)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(queryId, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { v, d, q = '', n, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || v !== VERSION) return undefined;
  if (typeof d !== 'string' || !DAY.test(d) || Number.isNaN(Date.parse(d))) return undefined;
  if (typeof n !== 'string' || !NONCE.test(n)) return undefined;
  if (typeof q !== 'string' || normaliseQuery(q) !== q) return undefined;
  return { day: d, query: q };
}
