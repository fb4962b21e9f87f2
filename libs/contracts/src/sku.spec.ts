import { foldedSku, SKU_LIMITS, SKU_PATTERN, skuSchema } from './sku';

const messagesOf = (sku: unknown): string[] => {
  const parsed = skuSchema.safeParse(sku);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe('the SKU rule', () => {
  it.each([
    'ab-123_x.2',
    'AB-123_X.2',
    'nw/trail/42',
    'NOR-000001-1',
    '42.5_eu',
    'abc',
    'A'.repeat(SKU_LIMITS.maxChars),
  ])('accepts %s', (sku) => {
    expect(messagesOf(sku)).toEqual([]);
    expect(SKU_PATTERN.test(sku)).toBe(true);
  });

  it.each([
    ['a space', 'AB 123'],
    ['a tab', 'AB\t123'],
    ['a newline', 'AB-123\n'],
    ['a NUL', 'AB\u0000123'],
    ['a non-ASCII letter', 'ÄB-123'],
    ['a leading dash', '-AB123'],
    ['a leading dot', '.AB123'],
    ['a leading slash', '/AB123'],
    ['a percent sign', 'AB%2F1'],
  ])('refuses a SKU with %s', (_what, sku) => {
    expect(messagesOf(sku)).toEqual([expect.stringContaining('no spaces or control characters')]);
    expect(SKU_PATTERN.test(sku)).toBe(false);
  });

  it('names the length when a SKU is too short or too long', () => {
    expect(messagesOf('ab')).toEqual([`a SKU has at least ${SKU_LIMITS.minChars} characters`]);
    expect(messagesOf('A'.repeat(SKU_LIMITS.maxChars + 1))).toEqual([
      `a SKU has at most ${SKU_LIMITS.maxChars} characters`,
    ]);
    expect(SKU_PATTERN.test('A'.repeat(SKU_LIMITS.maxChars + 1))).toBe(false);
  });

  it('folds case for uniqueness, and keeps the upper-case SKUs of old as they were', () => {
    expect(foldedSku('ab-123_x.2')).toBe(foldedSku('AB-123_X.2'));
    expect(foldedSku('NOR-000001-1')).toBe('NOR-000001-1');
  });
});
