import { decodeQueryId, encodeQueryId, MAX_QUERY_ID_LENGTH } from './query-id';
import { normaliseQuery } from './search-query';

const idOf = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');

describe('query ids', () => {
  it('carry the day and the query of their search', () => {
    const id = encodeQueryId({ day: '2026-12-07', query: 'running shoes' });
    expect(decodeQueryId(id)).toEqual({ day: '2026-12-07', query: 'running shoes' });
  });

  it('carry an empty query for a browse', () => {
    expect(decodeQueryId(encodeQueryId({ day: '2026-12-07', query: '' }))).toEqual({
      day: '2026-12-07',
      query: '',
    });
  });

  it('differ between two searches of the same query', () => {
    const ref = { day: '2026-12-07', query: 'shoes' };
    expect(encodeQueryId(ref)).not.toBe(encodeQueryId(ref));
  });

  it('stay within what feedback accepts for the longest queries', () => {
    for (const text of ['x'.repeat(500), '"'.repeat(500), '靴'.repeat(500), '\\😀'.repeat(200)]) {
      const id = encodeQueryId({ day: '2026-12-07', query: normaliseQuery(text) });
      expect(id.length).toBeLessThanOrEqual(MAX_QUERY_ID_LENGTH);
      expect(decodeQueryId(id)).toBeDefined();
    }
  });

  it.each([
    ['not base64url', 'abc$def'],
    ['not JSON', Buffer.from('{"v":1,').toString('base64url')],
    ['not an object', idOf([1, '2026-12-07', 'shoes', 'AAAAAAAA'])],
    ['another version', idOf({ v: 2, d: '2026-12-07', q: 'shoes', n: 'AAAAAAAA' })],
    ['no day', idOf({ v: 1, q: 'shoes', n: 'AAAAAAAA' })],
    ['an impossible day', idOf({ v: 1, d: '2026-13-40', q: 'shoes', n: 'AAAAAAAA' })],
    ['a malformed nonce', idOf({ v: 1, d: '2026-12-07', q: 'shoes', n: 'short' })],
    ['a query not in normal form', idOf({ v: 1, d: '2026-12-07', q: 'Shoes ', n: 'AAAAAAAA' })],
    ['a field of its own', idOf({ v: 1, d: '2026-12-07', q: 'shoes', n: 'AAAAAAAA', c: 'C1' })],
    ['too long', 'A'.repeat(MAX_QUERY_ID_LENGTH + 1)],
  ])('are refused when %s', (_, forged) => {
    expect(decodeQueryId(forged)).toBeUndefined();
  });
});
