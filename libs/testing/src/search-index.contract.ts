import type { Region } from '@mercato/contracts';
import {
  MAX_RESULT_WINDOW,
  type FacetValue,
  type ProductDocument,
  type ProductSort,
  type ProductIndex,
  type ProductSearchQuery,
} from '@mercato/search-index';

/**
 * A small catalog whose words, categories, prices and stock make every filter distinguishable.
 * Prices are per region in minor units; the regions deliberately disagree on order
 * (the headphones are dear in the US and cheap in Japan). Ratings and creation dates differ,
 * with deliberate ties (two at 4.8, three created on 1 March) so sorts must break them by id.
 */
function fixture(): ProductDocument[] {
  const base = {
    rating: 4.2,
    ratingCount: 10,
    inStockRegions: ['us', 'eu', 'ap'] as Region[],
    popularity: 0,
    salesVelocity: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    attributes: [] as string[],
    specs: [] as string[],
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
      categoryNames: ['Sport', 'Footwear', 'Running'],
      prices: { us: 8_999, eu: 8_299, ap: 13_500 },
      attributes: ['Red', '42'],
      rating: 4.5,
      createdAt: '2026-03-01T00:00:00.000Z',
    },
    {
      ...base,
      productId: 'p-002',
      title: 'Summit Hiking Boots',
      description: 'Waterproof leather for rocky trails.',
      brand: 'Stride',
      categoryId: 'hiking',
      categoryPath: ['sport', 'footwear', 'hiking'],
      categoryNames: ['Sport', 'Footwear', 'Hiking'],
      prices: { us: 15_999, eu: 14_999, ap: 24_000 },
      inStockRegions: [],
      rating: 3.9,
      createdAt: '2026-01-15T00:00:00.000Z',
    },
    {
      ...base,
      productId: 'p-003',
      title: 'Velvet Armchair',
      description: 'A deep seat with walnut legs.',
      brand: 'Hearth',
      categoryId: 'chairs',
      categoryPath: ['home', 'furniture', 'chairs'],
      categoryNames: ['Home', 'Furniture', 'Seating'],
      prices: { us: 42_000, eu: 39_900, ap: 61_000 },
      attributes: ['Green'],
      rating: 4.8,
      createdAt: '2026-02-10T00:00:00.000Z',
    },
    {
      ...base,
      productId: 'p-004',
      title: 'Oak Dining Chair',
      description: 'Solid oak frame, sold as a pair.',
      brand: 'Hearth',
      categoryId: 'chairs',
      categoryPath: ['home', 'furniture', 'chairs'],
      categoryNames: ['Home', 'Furniture', 'Seating'],
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
      categoryNames: ['Electronics', 'Audio', 'Headphones'],
      prices: { us: 29_999, eu: 27_999, ap: 9_000 },
      attributes: ['Black', 'Silver'],
      specs: ['Battery life 30 hours', 'Connection Bluetooth 5.3'],
      rating: 4.8,
      createdAt: '2026-03-01T00:00:00.000Z',
    },
    {
      ...base,
      productId: 'p-006',
      title: 'Portable Speaker',
      description: 'Splashproof speaker with deep bass.',
      brand: 'Sonique',
      categoryId: 'speakers',
      categoryPath: ['electronics', 'audio', 'speakers'],
      categoryNames: ['Electronics', 'Audio', 'Speakers'],
      prices: { us: 5_999, eu: 5_499, ap: 9_500 },
      inStockRegions: [],
      rating: 0,
      ratingCount: 0,
      createdAt: '2026-02-10T00:00:00.000Z',
    },
    {
      ...base,
      productId: 'p-007',
      title: 'Espresso Machine',
      description: 'Fifteen bar pump and a steam wand.',
      brand: 'Hearth',
      specs: ['Pressure 15 bar', 'Material Stainless steel'],
      categoryId: 'coffee',
      categoryPath: ['home', 'kitchen', 'coffee'],
      categoryNames: ['Home', 'Kitchen', 'Coffee'],
      prices: { us: 24_999, eu: 22_999, ap: 38_000 },
      createdAt: '2025-12-24T00:00:00.000Z',
    },
    {
      ...base,
      productId: 'p-008',
      title: 'Running Socks',
      description: 'Cushioned merino for long runs.',
      brand: 'Stride',
      categoryId: 'running',
      categoryPath: ['sport', 'footwear', 'running'],
      categoryNames: ['Sport', 'Footwear', 'Running'],
      prices: { us: 1_499, eu: 1_399, ap: 2_200 },
      rating: 4.5,
      createdAt: '2026-03-01T00:00:00.000Z',
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

    describe('sorts', () => {
      beforeEach(() => load());

      /** Every hit id in order, read in pages of three, after checking the pages agree. */
      const ordered = async (query: Partial<ProductSearchQuery>): Promise<string[]> => {
        const all = await index.search({ region: 'us', limit: 100, offset: 0, ...query });
        const paged: string[] = [];
        for (let offset = 0; offset < all.total; offset += 3) {
          const page = await index.search({ region: 'us', limit: 3, offset, ...query });
          expect(page.total).toBe(all.total);
          paged.push(...page.hits.map((hit) => hit.productId));
        }
        const order = all.hits.map((hit) => hit.productId);
        expect(paged).toEqual(order);
        return order;
      };

      it("orders by the lowest price in the query's region, both ways", async () => {
        const usAscending = [
          'p-008',
          'p-006',
          'p-001',
          'p-004',
          'p-002',
          'p-007',
          'p-005',
          'p-003',
        ];
        await expect(ordered({ sort: 'price_asc' })).resolves.toEqual(usAscending);
        await expect(ordered({ sort: 'price_desc' })).resolves.toEqual([...usAscending].reverse());
        await expect(ordered({ sort: 'price_asc', region: 'ap' })).resolves.toEqual([
          'p-008',
          'p-005',
          'p-006',
          'p-001',
          'p-004',
          'p-002',
          'p-007',
          'p-003',
        ]);
      });

      it('breaks price ties by productId', async () => {
        const [, , , oakChair] = fixture();
        await load([{ ...oakChair, productId: 'p-000' }]);
        const order = await ordered({ sort: 'price_desc', region: 'eu' });
        expect(order.slice(order.indexOf('p-000'), order.indexOf('p-000') + 2)).toEqual([
          'p-000',
          'p-004',
        ]);
      });

      it('orders newest first and best rated first, ties by productId', async () => {
        await expect(ordered({ sort: 'newest' })).resolves.toEqual([
          'p-001',
          'p-005',
          'p-008',
          'p-003',
          'p-006',
          'p-002',
          'p-004',
          'p-007',
        ]);
        await expect(ordered({ sort: 'rating' })).resolves.toEqual([
          'p-003',
          'p-005',
          'p-001',
          'p-008',
          'p-004',
          'p-007',
          'p-002',
          'p-006',
        ]);
      });

      it('sorts only the matches of text and filters, and pages them without overlap', async () => {
        await expect(ordered({ text: 'running', sort: 'price_desc' })).resolves.toEqual([
          'p-001',
          'p-008',
        ]);
        await expect(
          ordered({ categoryId: 'home', sort: 'rating', region: 'eu', inStock: true }),
        ).resolves.toEqual(['p-003', 'p-004', 'p-007']);
      });

      it('sorts by relevance when told or by default: in stock first, then by rating without text', async () => {
        // Nothing sold and ten ratings each: only the average rating tells them apart.
        const browse = ['p-003', 'p-005', 'p-001', 'p-008', 'p-004', 'p-007', 'p-002', 'p-006'];
        await expect(ordered({ sort: 'relevance' })).resolves.toEqual(browse);
        await expect(ordered({})).resolves.toEqual(browse);
      });

      it('refuses an unknown sort or facet, and a bad price range', async () => {
        await expect(
          index.search({ region: 'us', limit: 1, offset: 0, sort: 'cheapest' as ProductSort }),
        ).rejects.toThrow(RangeError);
        await expect(
          index.search({ region: 'us', limit: 1, offset: 0, facets: ['colour' as 'brand'] }),
        ).rejects.toThrow(RangeError);
        for (const priceRanges of [[], [{ from: 500, to: 500 }], [{ to: Number.NaN }]]) {
          await expect(
            index.search({ region: 'us', limit: 1, offset: 0, facets: ['price'], priceRanges }),
          ).rejects.toThrow(RangeError);
        }
      });
    });

    describe('facets', () => {
      beforeEach(() => load());

      const allFacets = ['category', 'brand', 'price'] as const;

      it('counts every value over all products without filters, most first, ties by value', async () => {
        const result = await index.search({
          region: 'us',
          limit: 0,
          offset: 0,
          facets: [...allFacets],
        });
        expect(result.total).toBe(ALL.length);
        expect(result.facets).toEqual({
          brand: [
            { value: 'Hearth', count: 3 },
            { value: 'Stride', count: 3 },
            { value: 'Sonique', count: 2 },
          ],
          // Every ancestor counts its subtree.
          category: [
            { value: 'footwear', count: 3 },
            { value: 'home', count: 3 },
            { value: 'sport', count: 3 },
            { value: 'audio', count: 2 },
            { value: 'chairs', count: 2 },
            { value: 'electronics', count: 2 },
            { value: 'furniture', count: 2 },
            { value: 'running', count: 2 },
            { value: 'coffee', count: 1 },
            { value: 'headphones', count: 1 },
            { value: 'hiking', count: 1 },
            { value: 'kitchen', count: 1 },
            { value: 'speakers', count: 1 },
          ],
          // The default US buckets, empty ones included.
          price: [
            { to: 2_500, count: 1 },
            { from: 2_500, to: 5_000, count: 0 },
            { from: 5_000, to: 10_000, count: 2 },
            { from: 10_000, to: 25_000, count: 3 },
            { from: 25_000, to: 50_000, count: 2 },
            { from: 50_000, count: 0 },
          ],
        });
      });

      it('answers only the facets asked for, and none unless asked', async () => {
        const brandOnly = await index.search({
          region: 'us',
          limit: 0,
          offset: 0,
          facets: ['brand'],
        });
        expect(Object.keys(brandOnly.facets ?? {})).toEqual(['brand']);
        const none = await index.search({ region: 'us', limit: 0, offset: 0 });
        expect(none).not.toHaveProperty('facets');
      });

      it('keeps other brands in the brand facet under a brand filter; other facets count that brand', async () => {
        const result = await index.search({
          region: 'us',
          limit: 10,
          offset: 0,
          brand: 'Stride',
          facets: [...allFacets],
        });
        expect(result.total).toBe(3);
        expect(result.hits.map((hit) => hit.productId).sort()).toEqual(['p-001', 'p-002', 'p-008']);
        expect(result.facets?.brand).toEqual([
          { value: 'Hearth', count: 3 },
          { value: 'Stride', count: 3 },
          { value: 'Sonique', count: 2 },
        ]);
        expect(result.facets?.category).toEqual([
          { value: 'footwear', count: 3 },
          { value: 'sport', count: 3 },
          { value: 'running', count: 2 },
          { value: 'hiking', count: 1 },
        ]);
        expect(result.facets?.price?.map((bucket) => bucket.count)).toEqual([1, 0, 1, 1, 0, 0]);
      });

      it("counts the query's price buckets in its region, ignoring its own price filter", async () => {
        const result = await index.search({
          region: 'ap',
          limit: 10,
          offset: 0,
          minPrice: 30_000,
          // Bounds on fixture prices: `from` takes the product in, `to` leaves it out.
          priceRanges: [{ to: 9_000 }, { from: 9_000, to: 13_500 }, { from: 13_500 }],
          facets: ['price', 'brand'],
        });
        expect(result.hits.map((hit) => hit.productId).sort()).toEqual(['p-003', 'p-007']);
        expect(result.facets).toEqual({
          price: [
            { to: 9_000, count: 1 },
            { from: 9_000, to: 13_500, count: 2 },
            { from: 13_500, count: 5 },
          ],
          // The brand facet does apply the price filter.
          brand: [{ value: 'Hearth', count: 2 }],
        });
      });

      it('counts nothing, with every price bucket listed, when no product matches', async () => {
        const result = await index.search({
          region: 'eu',
          limit: 10,
          offset: 0,
          text: 'zeppelin',
          facets: [...allFacets],
        });
        expect(result).toEqual({
          total: 0,
          hits: [],
          facets: {
            category: [],
            brand: [],
            price: [
              { to: 2_500, count: 0 },
              { from: 2_500, to: 5_000, count: 0 },
              { from: 5_000, to: 10_000, count: 0 },
              { from: 10_000, to: 25_000, count: 0 },
              { from: 25_000, to: 50_000, count: 0 },
              { from: 50_000, count: 0 },
            ],
          },
        });
      });

      it("counts for every facet value the total of the search with that value as the facet's filter", async () => {
        const totalOf = async (query: Filters): Promise<number> =>
          (await index.search({ ...query, limit: 0, offset: 0 })).total;
        const descending = (values: FacetValue[]) =>
          [...values].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));

        // Every other query uses bounds on fixture prices: us 5,999, ap 13,500, eu 22,999.
        const onPrices = [
          { to: 5_999 },
          { from: 5_999, to: 13_500 },
          { from: 13_500, to: 22_999 },
          { from: 22_999 },
        ];
        for (const [i, filters] of randomFilters(19, 12).entries()) {
          const priceRanges = i % 2 === 1 ? onPrices : undefined;
          const result = await index.search({
            ...filters,
            limit: 100,
            offset: 0,
            facets: [...allFacets],
            priceRanges,
          });
          const context = JSON.stringify({ ...filters, priceRanges });
          // Facets change nothing about the hits.
          const plain = await index.search({ ...filters, limit: 100, offset: 0 });
          expect({
            context,
            total: result.total,
            hits: result.hits.map((h) => h.productId),
          }).toEqual({
            context,
            total: plain.total,
            hits: plain.hits.map((h) => h.productId),
          });

          const { brand: brands = [], category = [], price = [] } = result.facets ?? {};
          expect({ context, brands }).toEqual({ context, brands: descending(brands) });
          expect({ context, category }).toEqual({ context, category: descending(category) });

          const withoutBrand = { ...filters, brand: undefined };
          for (const { value, count } of brands) {
            expect({ context, value, count }).toEqual({
              context,
              value,
              count: await totalOf({ ...withoutBrand, brand: value }),
            });
          }
          // Every product has one brand, and the top 20 holds every brand of the fixture.
          expect({ context, sum: brands.reduce((sum, { count }) => sum + count, 0) }).toEqual({
            context,
            sum: await totalOf(withoutBrand),
          });

          const withoutCategory = { ...filters, categoryId: undefined };
          for (const { value, count } of category) {
            expect({ context, value, count }).toEqual({
              context,
              value,
              count: await totalOf({ ...withoutCategory, categoryId: value }),
            });
          }
          const roots = ['sport', 'home', 'electronics'];
          expect({
            context,
            sum: category
              .filter(({ value }) => roots.includes(value))
              .reduce((sum, { count }) => sum + count, 0),
          }).toEqual({ context, sum: await totalOf(withoutCategory) });

          const withoutPrice = { ...filters, minPrice: undefined, maxPrice: undefined };
          expect({ context, buckets: price.length }).toEqual({
            context,
            buckets: priceRanges?.length ?? 6,
          });
          for (const bucket of price) {
            const asFilter = {
              ...withoutPrice,
              ...(bucket.from !== undefined ? { minPrice: bucket.from } : {}),
              ...(bucket.to !== undefined ? { maxPrice: bucket.to - 1 } : {}),
            };
            expect({ context, bucket }).toEqual({
              context,
              bucket: { ...bucket, count: await totalOf(asFilter) },
            });
          }
        }
      });
    });

    describe('regions', () => {
      /** Sold in eu and ap only, in stock in eu only. */
      const euAp: ProductDocument = {
        ...fixture()[3],
        productId: 'p-009',
        title: 'Oak Bench',
        prices: { eu: 9_900, ap: 16_000 },
        inStockRegions: ['eu'],
      };
      /** Sold everywhere, in stock in ap only. */
      const apStock: ProductDocument = {
        ...fixture()[3],
        productId: 'p-010',
        title: 'Oak Stool',
        inStockRegions: ['ap'],
      };
      beforeEach(() => load([...fixture(), euAp, apStock]));

      it('finds a product only in the regions it has a price in', async () => {
        await expect(ids({ text: 'oak', region: 'us' })).resolves.toEqual(['p-004', 'p-010']);
        await expect(ids({ text: 'oak', region: 'eu' })).resolves.toEqual([
          'p-004',
          'p-009',
          'p-010',
        ]);
        await expect(ids({ region: 'us' })).resolves.toEqual([...ALL, 'p-010']);
        for (const sort of ['price_asc', 'price_desc', 'newest', 'rating'] as const) {
          await expect(ids({ region: 'us', sort, categoryId: 'chairs' })).resolves.toEqual([
            'p-003',
            'p-004',
            'p-010',
          ]);
        }
      });

      it('counts no facet value for a product not sold in the region', async () => {
        const us = await index.search({
          region: 'us',
          limit: 0,
          offset: 0,
          text: 'bench',
          facets: ['category', 'brand', 'price'],
        });
        expect(us.total).toBe(0);
        expect(us.facets?.category).toEqual([]);
        expect(us.facets?.brand).toEqual([]);
        expect(us.facets?.price?.every((bucket) => bucket.count === 0)).toBe(true);
        const eu = await index.search({
          region: 'eu',
          limit: 0,
          offset: 0,
          text: 'bench',
          facets: ['brand', 'price'],
        });
        expect(eu.total).toBe(1);
        expect(eu.facets?.brand).toEqual([{ value: 'Hearth', count: 1 }]);
        expect(eu.facets?.price?.map((bucket) => bucket.count)).toEqual([0, 0, 1, 0, 0, 0]);
      });

      it("filters to products in stock in the query's region", async () => {
        await expect(ids({ text: 'oak', inStock: true, region: 'us' })).resolves.toEqual(['p-004']);
        await expect(ids({ text: 'oak', inStock: true, region: 'eu' })).resolves.toEqual([
          'p-004',
          'p-009',
        ]);
        await expect(ids({ text: 'oak', inStock: true, region: 'ap' })).resolves.toEqual([
          'p-004',
          'p-010',
        ]);
      });

      it('ranks the products in stock in the region first', async () => {
        const order = async (region: Region) =>
          (await index.search({ text: 'oak', region, limit: 10, offset: 0 })).hits.map(
            (hit) => hit.productId,
          );
        expect((await order('us')).at(-1)).toBe('p-010');
        expect((await order('ap')).at(-1)).toBe('p-009');
        expect((await order('ap')).slice(0, 2).sort()).toEqual(['p-004', 'p-010']);
      });
    });

    describe('text fields', () => {
      beforeEach(() => load());

      it('finds a product by a category name of its path', async () => {
        await expect(ids({ text: 'footwear' })).resolves.toEqual(['p-001', 'p-002', 'p-008']);
        await expect(ids({ text: 'seating' })).resolves.toEqual(['p-003', 'p-004']);
      });

      it('finds a product by its specs', async () => {
        await expect(ids({ text: 'stainless steel' })).resolves.toEqual(['p-007']);
        await expect(ids({ text: 'bluetooth' })).resolves.toEqual(['p-005']);
      });

      it('ranks a match in the title above one in the description, signals being equal', async () => {
        const [, , , chair] = fixture();
        await load([
          { ...chair, productId: 'q-1', title: 'Linen Tote', description: 'Holds a kettle.' },
          { ...chair, productId: 'q-2', title: 'Copper Kettle', description: 'Boils water.' },
        ]);
        const result = await index.search({ text: 'kettle', region: 'us', limit: 10, offset: 0 });
        expect(result.hits.map((hit) => hit.productId)).toEqual(['q-2', 'q-1']);
      });
    });

    describe('ranking', () => {
      /** The same text everywhere; only the business signals differ. */
      const mug = (productId: string, signals: Partial<ProductDocument>): ProductDocument => ({
        ...fixture()[6],
        productId,
        title: 'Stoneware Mug',
        description: 'Holds a large coffee.',
        rating: 0,
        ratingCount: 0,
        ...signals,
      });
      const mugs = [
        mug('r-1', { popularity: 100 }),
        mug('r-2', { salesVelocity: 5 }),
        mug('r-3', { rating: 5, ratingCount: 1_000 }),
        // Two ratings of 5 count for little.
        mug('r-4', { rating: 5, ratingCount: 1 }),
        mug('r-5', { brand: 'Potter', categoryId: 'garden', categoryPath: ['home', 'garden'] }),
        // The best seller, but out of stock in us.
        mug('r-6', { popularity: 10_000, salesVelocity: 100, inStockRegions: ['eu', 'ap'] }),
      ];
      beforeEach(() => load(mugs));

      const order = async (query: Partial<ProductSearchQuery> = {}) =>
        (await index.search({ region: 'us', limit: 10, offset: 0, ...query })).hits.map(
          (hit) => hit.productId,
        );

      it('orders by in stock first, then units sold, recent sales and confident ratings, with or without text', async () => {
        const expected = ['r-3', 'r-1', 'r-2', 'r-4', 'r-5', 'r-6'];
        await expect(order()).resolves.toEqual(expected);
        await expect(order({ text: 'stoneware mug' })).resolves.toEqual(expected);
        // In eu the best seller is in stock.
        await expect(order({ region: 'eu' })).resolves.toEqual([
          'r-6',
          'r-3',
          'r-1',
          'r-2',
          'r-4',
          'r-5',
        ]);
      });

      it('lets the query change the weights: a weight of 0 turns a signal off', async () => {
        await expect(order({ ranking: { weights: { rating: 0 } } })).resolves.toEqual([
          'r-1',
          'r-2',
          'r-3',
          'r-4',
          'r-5',
          'r-6',
        ]);
      });

      it("lifts the products of the shopper's categories and brands", async () => {
        const lifted = await order({
          ranking: { affinities: { categories: { garden: 1 }, brands: { Potter: 1 } } },
        });
        expect(lifted[0]).toBe('r-5');
        const byBrand = await order({ ranking: { affinities: { brands: { Potter: 0.1 } } } });
        expect(byBrand.indexOf('r-5')).toBe(3);
      });

      it('refuses weights below 0 and affinities outside [0, 1]', async () => {
        await expect(order({ ranking: { weights: { popularity: -1 } } })).rejects.toThrow(
          RangeError,
        );
        await expect(order({ ranking: { affinities: { brands: { Potter: 2 } } } })).rejects.toThrow(
          RangeError,
        );
      });

      it('explains each hit on demand: parts that multiply to the total the hits are ordered by', async () => {
        const plain = await index.search({ region: 'us', limit: 10, offset: 0 });
        expect(plain.hits.every((hit) => hit.explanation === undefined)).toBe(true);
        for (const text of [undefined, 'mug']) {
          const result = await index.search({
            region: 'us',
            limit: 10,
            offset: 0,
            text,
            explain: true,
            ranking: { affinities: { brands: { Potter: 0.5 } } },
          });
          const parts = result.hits.map((hit) => hit.explanation!);
          for (const [i, part] of parts.entries()) {
            const { text: t, popularity, salesVelocity, rating, affinity, total } = part;
            expect(t * popularity * salesVelocity * rating * affinity).toBeCloseTo(total, 3);
            expect(Math.min(popularity, salesVelocity, rating, affinity)).toBeGreaterThanOrEqual(1);
            expect(part.inStock).toBe(result.hits[i].productId !== 'r-6');
            if (text === undefined) expect(t).toBe(1);
          }
          const inStock = parts.filter((part) => part.inStock).map((part) => part.total);
          expect(inStock).toEqual([...inStock].sort((a, b) => b - a));
          const r5 = parts[result.hits.findIndex((hit) => hit.productId === 'r-5')];
          expect(r5.affinity).toBeCloseTo(1.25, 5);
          const r1 = parts[result.hits.findIndex((hit) => hit.productId === 'r-1')];
          expect(r1.popularity).toBeGreaterThan(1);
          expect(r1.rating).toBe(1);
        }
      });
    });

    describe('rating filter', () => {
      beforeEach(() => load());

      it('finds products rated at least minRating, and every facet applies it', async () => {
        await expect(ids({ minRating: 4.5 })).resolves.toEqual([
          'p-001',
          'p-003',
          'p-005',
          'p-008',
        ]);
        await expect(ids({ minRating: 4.8, text: 'armchair' })).resolves.toEqual(['p-003']);
        await expect(ids({ minRating: 5 })).resolves.toEqual([]);
        const result = await index.search({
          region: 'us',
          limit: 0,
          offset: 0,
          minRating: 4.5,
          brand: 'Stride',
          facets: ['brand', 'category'],
        });
        expect(result.total).toBe(2);
        expect(result.facets?.brand).toEqual([
          { value: 'Stride', count: 2 },
          { value: 'Hearth', count: 1 },
          { value: 'Sonique', count: 1 },
        ]);
        await expect(
          index.search({ region: 'us', limit: 1, offset: 0, minRating: 6 }),
        ).rejects.toThrow(RangeError);
      });
    });

    describe('hits', () => {
      beforeEach(() => load());

      it('carry the stored document', async () => {
        const result = await index.search({ text: 'espresso', region: 'eu', limit: 5, offset: 0 });
        expect(result.hits).toEqual([
          { productId: 'p-007', score: expect.any(Number), document: fixture()[6] },
        ]);
      });
    });

    describe('rebuild', () => {
      beforeEach(() => load());

      it('keeps answering from the live index until complete, then from the new one only', async () => {
        const rebuild = await index.beginRebuild();
        const [first, second] = fixture();
        await expect(
          rebuild.upsertMany([{ ...first, title: 'Pathfinder Trail Shoes' }, second]),
        ).resolves.toEqual([]);
        await expect(ids({ text: 'trailblazer' })).resolves.toEqual(['p-001']);
        await expect(ids()).resolves.toEqual(ALL);
        await rebuild.complete();
        await expect(ids()).resolves.toEqual(['p-001', 'p-002']);
        await expect(ids({ text: 'pathfinder' })).resolves.toEqual(['p-001']);
        await expect(index.count()).resolves.toBe(2);
      });

      it("sends the port's writes during a rebuild to the new index too, and keeps them over the rebuild's older copies", async () => {
        const rebuild = await index.beginRebuild();
        const [first, second, third] = fixture();
        await rebuild.upsertMany([third]);
        // The port's changes while the rebuild reads the catalog...
        await index.upsertMany([
          { ...first, title: 'Pathfinder Shoes' },
          { ...first, productId: 'p-100', title: 'Pathfinder Socks' },
        ]);
        await index.deleteMany([second.productId]);
        await index.refresh();
        // ...and the rebuild's copies, read before them.
        await rebuild.upsertMany(fixture());
        await rebuild.complete();
        await expect(ids({ text: 'pathfinder' })).resolves.toEqual(['p-001', 'p-100']);
        await expect(ids({ text: 'trailblazer' })).resolves.toEqual([]);
        await expect(ids({ text: 'boots' })).resolves.toEqual([]);
        await expect(index.count()).resolves.toBe(ALL.length);
      });

      it('keeps the live index on abort, and can rebuild again', async () => {
        const rebuild = await index.beginRebuild();
        await rebuild.upsertMany(fixture().slice(0, 1));
        await expect(index.beginRebuild()).rejects.toThrow();
        await rebuild.abort();
        await expect(ids()).resolves.toEqual(ALL);
        const again = await index.beginRebuild();
        await again.upsertMany(fixture().slice(0, 3));
        await again.complete();
        await expect(ids()).resolves.toEqual(ALL.slice(0, 3));
      });

      it('never fails nor answers empty while a rebuild completes under continuous search', async () => {
        let running = true;
        let searches = 0;
        const answers: number[] = [];
        const loop = (async () => {
          while (running) {
            const result = await index.search({ region: 'us', limit: 3, offset: 0 });
            answers.push(result.total);
            searches++;
            await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        try {
          for (let round = 0; round < 3; round++) {
            const rebuild = await index.beginRebuild();
            await rebuild.upsertMany(fixture());
            await rebuild.complete();
          }
        } finally {
          running = false;
          await loop;
        }
        expect(searches).toBeGreaterThan(0);
        expect(new Set(answers)).toEqual(new Set([ALL.length]));
        await expect(index.count()).resolves.toBe(ALL.length);
      });
    });
  });
}

type Filters = Pick<
  ProductSearchQuery,
  'text' | 'categoryId' | 'brand' | 'minPrice' | 'maxPrice' | 'inStock' | 'minRating' | 'region'
>;

/**
 * Filter combinations drawn from the fixture's vocabulary by a seeded generator, so a failure
 * names a query that fails again on the next run.
 */
function randomFilters(seed: number, n: number): Filters[] {
  let state = seed >>> 0;
  // mulberry32
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  // Mostly absent, so the combinations keep enough matches to count.
  const texts = [undefined, undefined, undefined, undefined, 'running', 'deep', 'chair', 'oak'];
  const categories = [undefined, undefined, undefined, 'sport', 'footwear', 'home', 'audio'];
  const brands = [undefined, undefined, undefined, 'Stride', 'Hearth', 'Sonique'];
  const prices = [
    {},
    {},
    { minPrice: 5_000 },
    { maxPrice: 20_000 },
    { minPrice: 9_000, maxPrice: 30_000 },
  ];
  return Array.from({ length: n }, () => {
    const filters: Filters = { region: pick(['us', 'eu', 'ap'] as const), ...pick(prices) };
    const text = pick(texts);
    const categoryId = pick(categories);
    const brand = pick(brands);
    if (text !== undefined) filters.text = text;
    if (categoryId !== undefined) filters.categoryId = categoryId;
    if (brand !== undefined) filters.brand = brand;
    if (next() < 0.4) filters.inStock = true;
    if (next() < 0.25) filters.minRating = 4.5;
    return filters;
  });
}
