import { decodeCursor, encodeCursor } from './query-cursor';

describe('list cursors', () => {
  const key = { customerId: 'customer-1', orderKey: '2026-01-01T00:00:00.000Z#order-1' };
  const query = { list: 'customer', customerId: 'customer-1', status: undefined };

  it('give back the start key to the list and filters that handed them out', () => {
    const cursor = encodeCursor(query, key);

    expect(decodeCursor(cursor, { ...query }, { customerId: 'customer-1' })).toEqual(key);
  });

  it.each([
    ['another list', { ...query, list: 'admin' }],
    ['another customer', { ...query, customerId: 'customer-2' }],
    ['a status filter added', { ...query, status: 'confirmed' }],
  ])('refuse %s with INVALID_CURSOR', (_name, other) => {
    const cursor = encodeCursor(query, key);

    expect(() => decodeCursor(cursor, other, {})).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR', status: 400 }),
    );
  });

  it('refuse a key moved to another partition, and anything that is not a cursor', () => {
    const forged = encodeCursor(query, { ...key, customerId: 'customer-2' });

    expect(() => decodeCursor(forged, query, { customerId: 'customer-1' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
    for (const junk of ['not-a-cursor', '', Buffer.from('{"key":1}').toString('base64url')]) {
      expect(() => decodeCursor(junk, query, {})).toThrow(
        expect.objectContaining({ code: 'INVALID_CURSOR' }),
      );
    }
  });
});
