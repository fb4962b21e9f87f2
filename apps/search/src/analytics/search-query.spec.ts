import {
  daysBetween,
  expiryAfter,
  lastDays,
  MAX_QUERY_JSON_BYTES,
  normaliseQuery,
} from './search-query';

describe('normaliseQuery', () => {
  it('trims, lower-cases and collapses every run of white space to one space', () => {
    expect(normaliseQuery('  Running\t  SHOES\n')).toBe('running shoes');
  });

  it('turns control characters into spaces', () => {
    expect(normaliseQuery('red\u0000\u0007dress')).toBe('red dress');
  });

  it('answers empty for a browse: no text, or only spaces', () => {
    expect(normaliseQuery(undefined)).toBe('');
    expect(normaliseQuery('   ')).toBe('');
  });

  it('keeps at most 200 characters', () => {
    expect(normaliseQuery(`${'a'.repeat(150)} ${'b'.repeat(150)}`)).toBe(
      `${'a'.repeat(150)} ${'b'.repeat(49)}`,
    );
  });

  it('cuts a query of many-byte characters to the bytes a query id has room for', () => {
    const query = normaliseQuery('靴'.repeat(200));
    expect(query).toBe('靴'.repeat(MAX_QUERY_JSON_BYTES / 3));
  });

  it('never cuts a character in half', () => {
    const query = normaliseQuery('😀'.repeat(150));
    expect(query).toBe('😀'.repeat(MAX_QUERY_JSON_BYTES / 4));
  });
});

describe('days', () => {
  it('lastDays lists the UTC days up to today, oldest first', () => {
    expect(lastDays(3, Date.parse('2026-03-01T23:59:00Z'))).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    expect(lastDays(1, Date.parse('2026-03-01T00:00:00Z'))).toEqual(['2026-03-01']);
  });

  it('daysBetween counts whole days, negative backwards', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
  });

  it('expiryAfter is the end of the day plus the days, in epoch seconds', () => {
    expect(expiryAfter('2026-03-01', 2)).toBe(Date.parse('2026-03-04T00:00:00Z') / 1000);
  });
});
