import { MAX_SEARCH_QUERY_LENGTH } from '@mercato/contracts';

const DAY_MS = 86_400_000;

/**
 * Bytes the query may take as a JSON string inside a query id: with the rest of the id (about
 * 60 bytes) it stays within the 512 characters of base64url `RecordSearchFeedback` accepts
 * (384 bytes). 200 ASCII characters fit; a long query in a script of 3-byte characters is cut.
 */
export const MAX_QUERY_JSON_BYTES = 300;

// Control characters say nothing about intent and would be escaped six bytes long in an id.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The query as analytics count it: trimmed, lower case, single spaces, no control characters,
 * at most 200 characters (and `MAX_QUERY_JSON_BYTES`), cut between code points. Empty when
 * there is no text: a browse, which is not a search.
 */
export function normaliseQuery(q: string | undefined): string {
  if (q === undefined) return '';
  let query = q.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
  if (query.length > MAX_SEARCH_QUERY_LENGTH) {
    query = cutAtCodePoint(query, MAX_SEARCH_QUERY_LENGTH).trimEnd();
  }
  while (jsonBytes(query) > MAX_QUERY_JSON_BYTES) {
    query = cutAtCodePoint(query, query.length - 1).trimEnd();
  }
  return query;
}

function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}

function cutAtCodePoint(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, splitsPair ? length - 1 : length);
}

/** The UTC day (YYYY-MM-DD) of an instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The `days` UTC days ending with the day of `nowMs`, oldest first. */
export function lastDays(days: number, nowMs: number): string[] {
  const today = Date.UTC(
    new Date(nowMs).getUTCFullYear(),
    new Date(nowMs).getUTCMonth(),
    new Date(nowMs).getUTCDate(),
  );
  return Array.from({ length: days }, (_, i) => utcDay(today - (days - 1 - i) * DAY_MS));
}

/** Whole days from UTC day `from` to UTC day `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** Epoch seconds at the end of UTC day `day` plus `days` days: a TTL attribute's value. */
export function expiryAfter(day: string, days: number): number {
  return Math.floor((Date.parse(day) + (days + 1) * DAY_MS) / 1000);
}
