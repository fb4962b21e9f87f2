import { z } from 'zod';
import { OrderErrorCode, OrderException } from './orders.exception';

/**
 * The query a cursor belongs to: its name and filters (e.g. `{ list: 'customer', customerId,
 * status }`); an absent filter is `undefined`.
 */
export type CursorQuery = Readonly<Record<string, string | undefined>>;

const cursorSchema = z.object({
  query: z.record(z.string(), z.string()),
  key: z.record(z.string(), z.string()),
});

const definedOnly = (query: CursorQuery): Record<string, string> =>
  Object.fromEntries(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

const sameQuery = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([name, value]) => b[name] === value);

/**
 * The opaque cursor of a page that ended at `key` (DynamoDB's LastEvaluatedKey). It carries its
 * query, so a cursor handed out for one customer, seller or status cannot page another's list.
 */
export function encodeCursor(query: CursorQuery, key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ query: definedOnly(query), key }), 'utf8').toString(
    'base64url',
  );
}

/**
 * The start key of a cursor that `query` handed out. `pinned` names key attributes the key must
 * hold (the query's partition): a key edited to another partition would make DynamoDB refuse
 * the query with a 500, or read a partition the caller may not. Anything else is INVALID_CURSOR.
 */
export function decodeCursor(
  cursor: string,
  query: CursorQuery,
  pinned: CursorQuery,
): Record<string, string> {
  let parsed: z.infer<typeof cursorSchema> | undefined;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  const keyHoldsPartition = (key: Record<string, string>) =>
    Object.entries(pinned).every(([name, value]) => key[name] === value);
  if (!parsed || !sameQuery(parsed.query, definedOnly(query)) || !keyHoldsPartition(parsed.key)) {
    throw new OrderException(
      OrderErrorCode.InvalidCursor,
      'The cursor does not belong to this query (it only works with the same list and filters)',
    );
  }
  return parsed.key;
}
