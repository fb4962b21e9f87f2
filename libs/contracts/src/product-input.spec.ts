import { DEMO_LEAF_CATEGORIES, generateCatalog } from '@mercato/demo-data';
import { productAtLimits } from '@mercato/testing';
import {
  MAX_PRODUCT_JSON_BYTES,
  PRODUCT_LIMITS,
  productFeedRowSchema,
  productInputSchema,
} from './catalog.contracts';

const L = PRODUCT_LIMITS;
const prices = (usd: number, eur = usd, jpy = usd) => [
  { region: 'us', amount: usd, currency: 'USD' },
  { region: 'eu', amount: eur, currency: 'EUR' },
  { region: 'ap', amount: jpy, currency: 'JPY' },
];
const body = (overrides: Record<string, unknown> = {}) => ({
  title: 'Trail Runner',
  brand: 'Acmeco',
  categoryId: 'men-shoes-boots',
  variants: [{ sku: 'ACME-1', prices: prices(9_900) }],
  ...overrides,
});
const variantWith = (attributes: Record<string, string>) => [
  { sku: 'ACME-1', attributes, prices: prices(9_900) },
];
/** The fields the parse names, or [] when it passes. */
const fieldsOf = (input: unknown): string[] => {
  const parsed = productInputSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};
const entries = (count: number, nameChars: number, valueChars: number) =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      String(i).padStart(nameChars, 'n'),
      'v'.repeat(valueChars),
    ]),
  );

describe('product input limits', () => {
  it('accepts the largest body the limits allow, and it is well under the JSON bound', () => {
    const largest = productAtLimits('men-shoes-boots', 'LIMITS');
    expect(fieldsOf(largest)).toEqual([]);
    // Every character escaped as \uXXXX: the most a valid body can weigh as JSON.
    const escaped = productAtLimits('men-shoes-boots', 'LIMITS', '\u0001');
    expect(fieldsOf(escaped)).toEqual([]);
    const bytes = Buffer.byteLength(JSON.stringify({ externalId: 'x'.repeat(100), ...escaped }));
    expect(bytes).toBeLessThan(MAX_PRODUCT_JSON_BYTES);
  });

  it.each([
    ['title', { title: 't'.repeat(L.titleChars + 1) }],
    ['description', { description: 'd'.repeat(L.descriptionChars + 1) }],
    ['brand', { brand: 'b'.repeat(L.brandChars + 1) }],
    ['categoryId', { categoryId: 'c'.repeat(L.categoryIdChars + 1) }],
    ['images', { images: Array.from({ length: L.images.count + 1 }, () => 'https://i.example/1') }],
    ['images.0', { images: ['u'.repeat(L.images.urlChars + 1)] }],
    ['specs', { specs: entries(L.specs.entries + 1, 3, 1) }],
    ['specs', { specs: entries(20, 10, L.specs.totalChars / 20) }],
    ['specs.a', { specs: { a: 'v'.repeat(L.specs.valueChars + 1) } }],
    ['specs.', { specs: { '': 'v' } }],
  ])('names %s when it is over its limit', (field, overrides) => {
    expect(fieldsOf(body(overrides))).toEqual([field]);
  });

  it('accepts every field exactly at its limit', () => {
    const valueChars = L.specs.totalChars / L.specs.entries - L.specs.nameChars;
    expect(
      fieldsOf(
        body({
          title: 't'.repeat(L.titleChars),
          description: 'd'.repeat(L.descriptionChars),
          brand: 'b'.repeat(L.brandChars),
          categoryId: 'c'.repeat(L.categoryIdChars),
          images: Array.from({ length: L.images.count }, () => 'u'.repeat(L.images.urlChars)),
          specs: entries(L.specs.entries, L.specs.nameChars, valueChars),
        }),
      ),
    ).toEqual([]);
  });

  it('bounds variants and their attributes', () => {
    const A = L.variantAttributes;
    const many = Array.from({ length: L.variants + 1 }, (_, i) => ({
      sku: `ACME-${i}`,
      prices: prices(100),
    }));
    expect(fieldsOf(body({ variants: many }))).toEqual(['variants']);
    expect(fieldsOf(body({ variants: many.slice(0, L.variants) }))).toEqual([]);
    expect(fieldsOf(body({ variants: variantWith(entries(A.entries + 1, 2, 1)) }))).toEqual([
      'variants.0.attributes',
    ]);
    const perEntry = A.totalChars / A.entries;
    const full = entries(A.entries, perEntry / 2, perEntry / 2);
    expect(fieldsOf(body({ variants: variantWith(full) }))).toEqual([]);
    expect(
      fieldsOf(
        body({
          variants: variantWith({
            ...full,
            ['0'.padStart(perEntry / 2, 'n')]: 'vv'.repeat(perEntry),
          }),
        }),
      ),
    ).toEqual(['variants.0.attributes']);
    expect(
      fieldsOf(body({ variants: variantWith({ size: 's'.repeat(A.valueChars + 1) }) })),
    ).toEqual(['variants.0.attributes.size']);
    expect(
      fieldsOf(body({ variants: variantWith({ ['n'.repeat(A.nameChars + 1)]: '1' }) })),
    ).toEqual([`variants.0.attributes.${'n'.repeat(A.nameChars + 1)}`]);
  });

  it('answers one error naming specs for half a megabyte of them, not one per entry', () => {
    const huge = entries(500, 4, 1_000);
    const parsed = productInputSchema.safeParse(body({ specs: huge }));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toEqual([
      expect.objectContaining({ path: ['specs'], message: `at most ${L.specs.entries} specs` }),
    ]);
    const fewButLong = productInputSchema.safeParse(body({ specs: { a: 'x'.repeat(500_000) } }));
    expect(fewButLong.error!.issues.map((i) => i.path.join('.'))).toEqual(['specs']);
  });

  it('applies the limits to feed rows as well', () => {
    const row = { externalId: 'row-1', ...body({ specs: entries(L.specs.entries + 1, 3, 1) }) };
    const parsed = productFeedRowSchema.safeParse(row);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['specs']);
  });

  it('lets every demo product through (the limits leave room for real catalogs)', () => {
    for (const p of generateCatalog({ seed: 42, products: 2_000 })) {
      const input = {
        title: p.title,
        description: p.description,
        brand: p.brand,
        categoryId: p.categoryId,
        specs: p.specs,
        images: p.images,
        variants: p.variants.map((v) => ({
          sku: v.sku,
          attributes: v.attributes,
          prices: Object.entries(v.prices).map(([region, m]) => ({ region, ...m })),
        })),
      };
      expect(fieldsOf(input)).toEqual([]);
    }
    expect(DEMO_LEAF_CATEGORIES.every((c) => c.categoryId.length <= L.categoryIdChars)).toBe(true);
  });
});

describe('prices of 0 and free products', () => {
  it('refuses an amount of 0 naming it, unless the product is marked free', () => {
    const zero = { variants: [{ sku: 'ACME-1', prices: prices(0, 900, 0) }] };
    expect(fieldsOf(body(zero))).toEqual([
      'variants.0.prices.0.amount',
      'variants.0.prices.2.amount',
    ]);
    expect(fieldsOf(body({ ...zero, free: false }))).toHaveLength(2);
    expect(fieldsOf(body({ ...zero, free: true }))).toEqual([]);
    // free allows zero, it does not require it: a free sample next to a paid variant.
    const mixed = [
      { sku: 'ACME-S', prices: prices(0) },
      { sku: 'ACME-1', prices: prices(9_900) },
    ];
    expect(fieldsOf(body({ variants: mixed, free: true }))).toEqual([]);
    expect(fieldsOf(body({ variants: mixed }))).toHaveLength(3);
  });

  it('still refuses negative and fractional amounts, free or not', () => {
    for (const free of [undefined, true]) {
      expect(fieldsOf(body({ free, variants: [{ sku: 'ACME-1', prices: prices(-1) }] }))).toContain(
        'variants.0.prices.0.amount',
      );
      expect(
        fieldsOf(body({ free, variants: [{ sku: 'ACME-1', prices: prices(9.5) }] })),
      ).toContain('variants.0.prices.0.amount');
    }
  });

  it('refuses a free flag that is not a boolean', () => {
    expect(fieldsOf(body({ free: 'yes' }))).toEqual(['free']);
  });
});

describe('regional prices', () => {
  const usOnly = [{ region: 'us', amount: 4_900, currency: 'USD' }];
  const messagesAt = (input: unknown, field: string): string[] => {
    const parsed = productInputSchema.safeParse(input);
    return parsed.success
      ? []
      : parsed.error.issues.filter((i) => i.path.join('.') === field).map((i) => i.message);
  };

  it('accepts a product priced in one region only', () => {
    expect(fieldsOf(body({ variants: [{ sku: 'ab-123_x.2', prices: usOnly }] }))).toEqual([]);
  });

  it('needs a price in at least one region', () => {
    const none = body({ variants: [{ sku: 'ACME-1', prices: [] }] });
    expect(messagesAt(none, 'variants.0.prices')).toEqual([
      'a variant needs a price in at least one region',
    ]);
  });

  it('prices every variant in the same regions, naming the variant that differs', () => {
    const wider = body({
      variants: [
        { sku: 'ACME-1', prices: usOnly },
        { sku: 'ACME-2', prices: prices(100) },
      ],
    });
    expect(fieldsOf(wider)).toEqual(['variants.1.prices.1.region', 'variants.1.prices.2.region']);
    const narrower = body({
      variants: [
        { sku: 'ACME-1', prices: prices(100) },
        { sku: 'ACME-2', prices: usOnly },
      ],
    });
    expect(messagesAt(narrower, 'variants.1.prices')).toEqual([
      expect.stringContaining('no price for region eu (EUR)'),
      expect.stringContaining('no price for region ap (JPY)'),
    ]);
  });

  it('refuses a price whose currency is not its region’s, naming it', () => {
    const wrong = body({
      variants: [{ sku: 'ACME-1', prices: [{ region: 'eu', amount: 100, currency: 'USD' }] }],
    });
    expect(messagesAt(wrong, 'variants.0.prices.0.currency')).toEqual([
      'prices in region eu are in EUR, not USD',
    ]);
  });
});

describe('SKUs in a product body', () => {
  it('refuses the same SKU twice in another case', () => {
    const twice = body({
      variants: [
        { sku: 'ab-123_x.2', prices: prices(100) },
        { sku: 'AB-123_X.2', prices: prices(100) },
      ],
    });
    expect(fieldsOf(twice)).toEqual(['variants.1.sku']);
  });

  it('names a SKU with spaces, control characters or over 64 characters', () => {
    for (const sku of ['AB 123', 'AB\u0007123', 'A'.repeat(65)]) {
      expect(fieldsOf(body({ variants: [{ sku, prices: prices(100) }] }))).toEqual([
        'variants.0.sku',
      ]);
    }
  });
});

describe('unknown fields', () => {
  it('refuses an unknown field of the product, a variant or a price, naming where it is', () => {
    const misspelt = (input: unknown): string[] => {
      const parsed = productInputSchema.safeParse(input);
      return parsed.success
        ? []
        : parsed.error.issues.flatMap((issue) =>
            issue.code === 'unrecognized_keys'
              ? issue.keys.map((key) => [...issue.path, key].join('.'))
              : [],
          );
    };
    expect(misspelt(body({ descripton: 'typo' }))).toEqual(['descripton']);
    expect(
      misspelt(body({ variants: [{ sku: 'ACME-1', price: 100, prices: prices(9_900) }] })),
    ).toEqual(['variants.0.price']);
    const [usd, ...others] = prices(9_900);
    expect(
      misspelt(body({ variants: [{ sku: 'ACME-1', prices: [{ ...usd, cents: 1 }, ...others] }] })),
    ).toEqual(['variants.0.prices.0.cents']);
    expect(misspelt(body())).toEqual([]);
  });

  it('takes externalId in a feed row, and refuses it or any other extra field in a body', () => {
    expect(productFeedRowSchema.safeParse(body({ externalId: 'erp-1' })).success).toBe(true);
    expect(
      productFeedRowSchema.safeParse(body({ externalId: 'erp-1', colour: 'red' })).success,
    ).toBe(false);
    expect(fieldsOf(body({ externalId: 'erp-1' }))).toEqual(['']);
  });
});
