import { decodeCursor, encodeCursor, queryHash } from './search-cursor';

describe('search cursor', () => {
  const query = { q: 'boot', brand: 'Northwind', region: 'us' };

  it('gives back the offset it was made for, for the same query', () => {
    expect(decodeCursor(encodeCursor(40, query), query)).toBe(40);
  });

  it('is opaque: url-safe text that does not show the offset', () => {
    const cursor = encodeCursor(40, query);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('40');
  });

  it('ignores surrounding blanks of the text, as the search does', () => {
    expect(decodeCursor(encodeCursor(20, query), { ...query, q: '  boot ' })).toBe(20);
  });

  it('is refused for a query with other text, filters or region', () => {
    const cursor = encodeCursor(20, query);
    expect(decodeCursor(cursor, { ...query, q: 'shoe' })).toBeUndefined();
    expect(decodeCursor(cursor, { ...query, brand: 'Acme' })).toBeUndefined();
    expect(decodeCursor(cursor, { ...query, inStock: true })).toBeUndefined();
    expect(decodeCursor(cursor, { ...query, minPrice: 0 })).toBeUndefined();
    expect(decodeCursor(cursor, { ...query, region: 'eu' })).toBeUndefined();
  });

  it('is refused when forged or corrupted', () => {
    const forged = Buffer.from('1000.AAAAAAAAAAAAAAAA').toString('base64url');
    const valid = Buffer.from(`1000.${queryHash(query)}`).toString('base64url');
    expect(decodeCursor(valid, query)).toBe(1000);
    expect(decodeCursor(forged, query)).toBeUndefined();
    expect(decodeCursor('not a cursor!', query)).toBeUndefined();
    expect(decodeCursor(encodeCursor(20, query).slice(0, -2), query)).toBeUndefined();
    const negative = Buffer.from(`-5.${queryHash(query)}`).toString('base64url');
    expect(decodeCursor(negative, query)).toBeUndefined();
  });
});
