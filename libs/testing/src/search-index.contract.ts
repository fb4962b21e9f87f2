import {
  MAX_RESULT_WINDOW,
  type ProductDocument,
  type ProductIndex,
  type ProductSearchQuery,
} from '@mercato/search-index';

/**
 * A small catalog whose words, categories, prices and stock make every filter distinguishable.
 * Prices are per region in minor units; the regions deliberately disagree on order
 * (the headphones are dear in the US and cheap in Japan).
 */
function fixture(): ProductDocument[] {
  const base = {
    rating: 4.2,
    ratingCount: 10,
    available: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    attributes: [] as string[],
  };
  return [
    {
      ...base,
      productId: 'p-001',
      title: 'Trailblazer Running Shoes',
      description: 'Lightweight mesh upper for distance training.',
      brand: 'Stride',
      categoryId: 'running',
      categoryPath: ['sport', 'footwear', 'running'],
      prices: { us: 8_999, eu: 8_299, ap: 13_500 },
      attributes: ['Red', '42'],
    },
    {
      ...base,
      productId: 'p-002',
      title: 'Summit Hiking Boots',
      description: 'Waterproof leather for rocky trails.',
      brand: 'Stride',
      categoryId: 'hiking',
      categoryPath: ['sport', 'footwear', 'hiking'],
      prices: { us: 15_999, eu: 14_999, ap: 24_000 },
      available: false,
    },
    {
      ...base,
      productId: 'p-003',
      title: 'Velvet Armchair',
      description: 'A deep seat with walnut legs.',
      brand: 'Hearth',
      categoryId: 'chairs',
      categoryPath: ['home', 'furniture', 'chairs'],
      prices: { us: 42_000, eu: 39_900, ap: 61_000 },
      attributes: ['Green'],
    },
    {
      ...base,
      productId: 'p-004',
      title: 'Oak Dining Chair',
      description: 'Solid oak frame, sold as a pair.',
      brand: 'Hearth',
      categoryId: 'chairs',
      categoryPath: ['home', 'furniture', 'chairs'],
      prices: { us: 12_999, eu: 11_999, ap: 19_800 },
    },
    {
      ...base,
      productId: 'p-005',
      title: 'Noise Cancelling Headphones',
      description: 'Thirty hours of battery life.',
      brand: 'Sonique',
      categoryId: 'headphones',
      categoryPath: ['electronics', 'audio', 'headphones'],
      prices: { us: 29_999, eu: 27_999, ap: 9_000 },
      attributes: ['Black', 'Silver'],
    },
    {
      ...base,
      productId: 'p-006',
      title: 'Portable Speaker',
      description: 'Splashproof speaker with deep bass.',
      brand: 'Sonique',
      categoryId: 'speakers',
      categoryPath: ['electronics', 'audio', 'speakers'],
      prices: { us: 5_999, eu: 5_499, ap: 9_500 },
      available: false,
    },
    {
      ...base,
      productId: 'p-007',
      title: 'Espresso Machine',
      description: 'Fifteen bar pump and a steam wand.',
      brand: 'Hearth',
      categoryId: 'coffee',
      categoryPath: ['home', 'kitchen', 'coffee'],
      prices: { us: 24_999, eu: 22_999, ap: 38_000 },
    },
    {
      ...base,
      productId: 'p-008',
      title: 'Running Socks',
      description: 'Cushioned merino for long runs.',
      brand: 'Stride',
      categoryId: 'running',
      categoryPath: ['sport', 'footwear', 'running'],
      prices: { us: 1_499, eu: 1_399, ap: 2_200 },
    },
  ];
}

const ALL = fixture().map((doc) => doc.productId);

/** Index names unique per test, so runs sharing one OpenSearch never see each other's data. */
function testPrefix(): string {
  const run = Array.from({ length: 10 }, () =>
    String.fromCharCode(97 + Math.floor(Math.random() * 26)),
  ).join('');
  return `mercato-test-${run}-`;
}

/**
 * The behaviour every ProductIndex adapter keeps. `makeIndex(prefix)` returns a new index, not
 * yet initialised, whose index names start with `prefix`; the suite initialises it, drops its
 * index after each test and closes it. Only sets and counts are asserted, never scores.
 */
export function productIndexContract(
  name: string,
  makeIndex: (prefix: string) => Promise<ProductIndex>,
): void {
  describe(`ProductIndex contract: ${name}`, () => {
    let index: ProductIndex;

    /** The ids matching a query (all pages), as a sorted list. */
    const ids = async (query: Partial<ProductSearchQuery> = {}): Promise<string[]> => {
      const result = await index.search({ region: 'us', limit: 100, offset: 0, ...query });
      expect(result.hits).toHaveLength(result.total);
      return result.hits.map((hit) => hit.productId).sort();
    };

    const load = async (docs: ProductDocument[] = fixture()): Promise<void> => {
      await expect(index.upsertMany(docs)).resolves.toEqual([]);
      await index.refresh();
    };

    beforeEach(async () => {
      index = await makeIndex(testPrefix());
      await index.init();
    });

    afterEach(async () => {
      try {
        await index.drop();
      } finally {
        await index.close();
      }
    });

    describe('lifecycle', () => {
      it('reports healthy once initialised, with a detail', async () => {
        const health = await index.health();
        expect(health.up).toBe(true);
        expect(health.detail).toEqual(expect.any(String));
      });

      it('creates the index idempotently: ensureIndex again keeps the documents', async () => {
        await load();
        await index.ensureIndex();
        await expect(index.count()).resolves.toBe(ALL.length);
      });

      it('starts empty', async () => {
        await expect(index.count()).resolves.toBe(0);
        await expect(index.search({ region: 'us', limit: 10, offset: 0 })).resolves.toEqual({
          total: 0,
          hits: [],
        });
      });
    });

    describe('writes', () => {
      it('counts every indexed document', async () => {
        await load();
        await expect(index.count()).resolves.toBe(ALL.length);
        await expect(ids()).resolves.toEqual(ALL);
      });

      it('replaces a document on upsert by productId', async () => {
        await load();
        const [first] = fixture();
        await expect(
          index.upsertMany([{ ...first, title: 'Pathfinder Trail Shoes' }]),
        ).resolves.toEqual([]);
        await index.refresh();
        await expect(index.count()).resolves.toBe(ALL.length);
        await expect(ids({ text: 'trailblazer' })).resolves.toEqual([]);
        await expect(ids({ text: 'pathfinder' })).resolves.toEqual(['p-001']);
      });

      it('keeps the last version when one batch holds a productId twice', async () => {
        const [first] = fixture();
        await load([first, { ...first, title: 'Pathfinder Trail Shoes' }]);
        await expect(index.count()).resolves.toBe(1);
        await expect(ids({ text: 'pathfinder' })).resolves.toEqual(['p-001']);
      });

      it('removes deleted documents and ignores unknown ids', async () => {
        await load();
        await expect(index.deleteMany(['p-001', 'p-404'])).resolves.toEqual([]);
        await index.refresh();
        await expect(index.count()).resolves.toBe(ALL.length - 1);
        await expect(ids({ text: 'trailblazer' })).resolves.toEqual([]);
        await expect(ids({ text: 'running' })).resolves.toEqual(['p-008']);
      });

      it('reports an invalid document by productId and indexes the others', async () => {
        const docs = fixture();
        const broken = {
          ...docs[1],
          prices: { us: 'cheap', eu: 1, ap: 1 },
        } as unknown as ProductDocument;
        const failures = await index.upsertMany([docs[0], broken, docs[2]]);
        expect(failures).toEqual([{ productId: 'p-002', reason: expect.any(String) }]);
        await index.refresh();
        await expect(ids()).resolves.toEqual(['p-001', 'p-003']);
      });
    });

    describe('text', () => {
      beforeEach(() => load());

      it('finds a product by a word of its title, in any case', async () => {
        await expect(ids({ text: 'armchair' })).resolves.toEqual(['p-003']);
        await expect(ids({ text: 'ESPRESSO' })).resolves.toEqual(['p-007']);
      });

      it('finds a product by a word of its description', async () => {
        await expect(ids({ text: 'walnut' })).resolves.toEqual(['p-003']);
        await expect(ids({ text: 'waterproof' })).resolves.toEqual(['p-002']);
      });

      it('finds a product by its brand and by a variant attribute value', async () => {
        await expect(ids({ text: 'sonique' })).resolves.toEqual(['p-005', 'p-006']);
        await expect(ids({ text: 'green' })).resolves.toEqual(['p-003']);
      });

      it('matches singular and plural forms (English stemming)', async () => {
        await expect(ids({ text: 'boot' })).resolves.toEqual(['p-002']);
        await expect(ids({ text: 'chairs' })).resolves.toEqual(['p-004']);
      });

      it('matches whole words, not parts of words', async () => {
        await expect(ids({ text: 'arm' })).resolves.toEqual([]);
        await expect(ids({ text: 'espres' })).resolves.toEqual([]);
      });

      it('needs every word, each in any field, ignoring English stop words', async () => {
        await expect(ids({ text: 'running' })).resolves.toEqual(['p-001', 'p-008']);
        await expect(ids({ text: 'running shoes' })).resolves.toEqual(['p-001']);
        await expect(ids({ text: 'velvet walnut' })).resolves.toEqual(['p-003']);
        await expect(ids({ text: 'the oak chair' })).resolves.toEqual(['p-004']);
        await expect(ids({ text: 'oak headphones' })).resolves.toEqual([]);
      });

      it('finds nothing for an unknown word, and treats blank text as no text', async () => {
        await expect(ids({ text: 'zeppelin' })).resolves.toEqual([]);
        await expect(ids({ text: '   ' })).resolves.toEqual(ALL);
      });
    });

    describe('filters', () => {
      beforeEach(() => load());

      it('filters by category, including every category below it', async () => {
        await expect(ids({ categoryId: 'chairs' })).resolves.toEqual(['p-003', 'p-004']);
        await expect(ids({ categoryId: 'furniture' })).resolves.toEqual(['p-003', 'p-004']);
        await expect(ids({ categoryId: 'home' })).resolves.toEqual(['p-003', 'p-004', 'p-007']);
        await expect(ids({ categoryId: 'nowhere' })).resolves.toEqual([]);
      });

      it('filters by brand', async () => {
        await expect(ids({ brand: 'Stride' })).resolves.toEqual(['p-001', 'p-002', 'p-008']);
      });

      it("filters by an inclusive price range in the query's region", async () => {
        const range = { minPrice: 8_999, maxPrice: 29_999 };
        await expect(ids({ ...range, region: 'us' })).resolves.toEqual([
          'p-001',
          'p-002',
          'p-004',
          'p-005',
          'p-007',
        ]);
        await expect(ids({ ...range, region: 'ap' })).resolves.toEqual([
          'p-001',
          'p-002',
          'p-004',
          'p-005',
          'p-006',
        ]);
        await expect(ids({ minPrice: 40_000, region: 'eu' })).resolves.toEqual([]);
        await expect(ids({ minPrice: 39_900, region: 'eu' })).resolves.toEqual(['p-003']);
        await expect(ids({ maxPrice: 5_999, region: 'us' })).resolves.toEqual(['p-006', 'p-008']);
      });

      it('filters to products in stock', async () => {
        await expect(ids({ inStock: true })).resolves.toEqual(
          ALL.filter((id) => id !== 'p-002' && id !== 'p-006'),
        );
        await expect(ids({ inStock: false })).resolves.toEqual(ALL);
      });

      it('combines text and every filter', async () => {
        await expect(
          ids({ text: 'running', brand: 'Stride', categoryId: 'footwear', inStock: true }),
        ).resolves.toEqual(['p-001', 'p-008']);
        await expect(
          ids({ text: 'running', categoryId: 'sport', maxPrice: 5_000, region: 'us' }),
        ).resolves.toEqual(['p-008']);
        await expect(ids({ text: 'speaker', inStock: true })).resolves.toEqual([]);
      });
    });

    describe('paging', () => {
      beforeEach(() => load());

      it('pages with limit and offset: same total, no overlap, nothing missed', async () => {
        for (const query of [{}, { text: 'running' }, { categoryId: 'home' }]) {
          const seen: string[] = [];
          const totals = new Set<number>();
          for (let offset = 0; offset < ALL.length + 2; offset += 3) {
            const page = await index.search({ region: 'eu', limit: 3, offset, ...query });
            totals.add(page.total);
            expect(page.hits.length).toBeLessThanOrEqual(3);
            seen.push(...page.hits.map((hit) => hit.productId));
          }
          expect(totals.size).toBe(1);
          expect(new Set(seen).size).toBe(seen.length);
          await expect(ids(query)).resolves.toEqual([...seen].sort());
          expect(seen).toHaveLength([...totals][0]);
        }
      });

      it('answers a page past the end with no hits and the full total', async () => {
        await expect(index.search({ region: 'us', limit: 5, offset: 50 })).resolves.toEqual({
          total: ALL.length,
          hits: [],
        });
        const counted = await index.search({ region: 'us', limit: 0, offset: 0 });
        expect(counted).toEqual({ total: ALL.length, hits: [] });
      });

      it('refuses pages beyond the result window', async () => {
        await expect(
          index.search({ region: 'us', limit: 10, offset: MAX_RESULT_WINDOW }),
        ).rejects.toThrow(RangeError);
        await expect(index.search({ region: 'us', limit: -1, offset: 0 })).rejects.toThrow(
          RangeError,
        );
      });
    });
  });
}
