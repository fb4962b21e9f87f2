import type { Region } from '@mercato/contracts';
import type { ProductDocument, ProductIndex, ProductSearchQuery } from '@mercato/search-index';

/**
 * A catalog for the text features: laptops and a notebook (a synonym), headphones and a headset
 * (another), a velvet sofa beside a "Velvot" cushion (a word one edit from "velvet", to see an
 * exact match rank above a typo), "soft" in two products and "sofa" in one (spelling prefers
 * the more frequent word). Suggested products go by units sold (`popularity`), then rating ×
 * ratingCount: t-02 (one sold, 200), t-01 (none sold, 450), t-03 (none sold, 48).
 */
function textFixture(): ProductDocument[] {
  const base = {
    rating: 4,
    ratingCount: 1,
    inStockRegions: ['us', 'eu', 'ap'] as Region[],
    popularity: 0,
    salesVelocity: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    prices: { us: 9_999, eu: 8_999, ap: 15_000 },
    // No category names or spec lines: each word of the catalog is in one place on purpose.
    categoryNames: [] as string[],
    attributes: [] as string[],
    specs: [] as string[],
  };
  const electronics = (leaf: string) => ({
    categoryId: leaf,
    categoryPath: ['electronics', leaf],
  });
  const home = (leaf: string) => ({ categoryId: leaf, categoryPath: ['home', leaf] });
  return [
    {
      ...base,
      ...electronics('laptops'),
      productId: 't-01',
      title: 'Voltix Pro Laptop X5',
      description: 'A slim machine for work and travel, 3.2 GHz.',
      brand: 'Voltix',
      rating: 4.5,
      ratingCount: 100,
    },
    {
      ...base,
      ...electronics('accessories'),
      productId: 't-02',
      title: 'Nimbus Air Laptop Stand',
      description: 'Aluminium riser for any computer.',
      brand: 'Nimbus',
      rating: 4,
      ratingCount: 50,
      popularity: 1,
    },
    {
      ...base,
      ...electronics('accessories'),
      productId: 't-03',
      title: 'Nimbus Air Laptop Stand S2',
      description: 'Folding aluminium riser.',
      brand: 'Nimbus',
      rating: 4.8,
      ratingCount: 10,
    },
    {
      ...base,
      ...electronics('laptops'),
      productId: 't-04',
      title: 'Arclight Notebook 14',
      description: 'Compact computer with a bright screen.',
      brand: 'Arclight',
    },
    {
      ...base,
      ...electronics('audio'),
      productId: 't-05',
      title: 'Sonora Wireless Headphones',
      description: 'Over-ear comfort with deep bass.',
      brand: 'Sonora',
      attributes: ['Black'],
    },
    {
      ...base,
      ...electronics('audio'),
      productId: 't-06',
      title: 'Sonora Wireless Headset',
      description: 'For calls and gaming.',
      brand: 'Sonora',
      attributes: ['White'],
    },
    {
      ...base,
      ...home('sofas'),
      productId: 't-07',
      title: 'Hearthstone Velvet Sofa',
      description: 'Three seats in soft velvet.',
      brand: 'Hearthstone',
    },
    {
      ...base,
      ...home('cushions'),
      productId: 't-08',
      title: 'Copperleaf Velvot Cushion',
      description: 'A soft square cushion.',
      brand: 'Copperleaf',
    },
    {
      ...base,
      ...electronics('televisions'),
      productId: 't-09',
      title: 'Pixelon Smart TV 55',
      description: 'Ultra HD picture with apps built in.',
      brand: 'Pixelon',
    },
    {
      ...base,
      productId: 't-10',
      categoryId: 'sneakers',
      categoryPath: ['fashion', 'sneakers'],
      title: 'Kestrel Classic Trainers',
      description: 'Leather uppers for city walks.',
      brand: 'Kestrel',
    },
    {
      ...base,
      ...home('coffee'),
      productId: 't-11',
      title: 'Quantra Espresso Machine',
      description: 'Fifteen bar pump and a steam wand.',
      brand: 'Quantra',
    },
    {
      ...base,
      productId: 't-12',
      categoryId: 't-shirts',
      categoryPath: ['fashion', 't-shirts'],
      title: 'Northwind Crew T-Shirt',
      description: 'Organic cotton jersey.',
      brand: 'Northwind',
    },
  ];
}

const LAPTOPS = ['t-01', 't-02', 't-03'];

/** Text a shopper might paste that query languages, regex engines or scripts would execute. */
const HOSTILE_TEXT = [
  '{"query":{"match_all":{}}}',
  'title:laptop OR *',
  '/lap.*/',
  'lap*',
  '"laptop',
  'laptop AND NOT sofa',
  "doc['rating'].value > 0",
  '<script>alert(1)</script>',
  '\\',
  '((((',
  '" OR ""="',
  '${jndi:ldap://x}',
];

/**
 * Typo tolerance, synonyms, spelling correction and suggest, the same on every ProductIndex
 * adapter (docs/search.md, "Typos, synonyms, spelling and suggest"). Like
 * `productIndexContract`, `makeIndex(prefix)` returns a new, uninitialised index; sets and
 * orders are asserted, never scores.
 */
export function searchTextContract(
  name: string,
  makeIndex: (prefix: string) => Promise<ProductIndex>,
): void {
  describe(`ProductIndex text contract: ${name}`, () => {
    let index: ProductIndex;

    /** The ids matching a query, best first. */
    const ranked = async (
      text: string,
      query: Partial<ProductSearchQuery> = {},
    ): Promise<string[]> => {
      const result = await index.search({ region: 'us', limit: 100, offset: 0, text, ...query });
      expect(result.hits).toHaveLength(result.total);
      return result.hits.map((hit) => hit.productId);
    };
    const ids = async (text: string, query: Partial<ProductSearchQuery> = {}) =>
      (await ranked(text, query)).sort();

    beforeAll(async () => {
      const run = Array.from({ length: 10 }, () =>
        String.fromCharCode(97 + Math.floor(Math.random() * 26)),
      ).join('');
      index = await makeIndex(`mercato-test-${run}-`);
      await index.init();
      // Read-only tests: one load for the suite keeps the engine runs short.
      await expect(index.upsertMany(textFixture())).resolves.toEqual([]);
      await index.refresh();
    });

    afterAll(async () => {
      try {
        await index.drop();
      } finally {
        await index.close();
      }
    });

    describe('typo tolerance', () => {
      it('forgives one edit in a word of 4 to 7 letters, a swap of neighbours counting as one', async () => {
        await expect(ids('laptpo')).resolves.toEqual(LAPTOPS);
        await expect(ids('sopa')).resolves.toEqual(['t-07']);
        await expect(ids('espreso')).resolves.toEqual(['t-11']);
        await expect(ids('esprsso machin')).resolves.toEqual(['t-11']);
      });

      it('does not forgive two edits below 8 letters', async () => {
        await expect(ids('lpatpo')).resolves.toEqual([]);
        await expect(ids('esprso')).resolves.toEqual([]);
      });

      it('forgives two edits from 8 letters', async () => {
        await expect(ids('hedphones')).resolves.toEqual(['t-05']);
        await expect(ids('wirelss headphnes')).resolves.toEqual(['t-05']);
        await expect(ids('hadphnes')).resolves.toEqual(['t-05']);
      });

      it('matches words under 4 letters exactly', async () => {
        await expect(ids('tv')).resolves.toEqual(['t-09']);
        await expect(ids('tc')).resolves.toEqual([]);
        await expect(ids('pto')).resolves.toEqual([]);
      });

      it('still needs every word, each possibly with a typo', async () => {
        await expect(ids('laptpo stnad')).resolves.toEqual(['t-02', 't-03']);
        await expect(ids('nimbus laptpo riser')).resolves.toEqual(['t-02', 't-03']);
        await expect(ids('laptpo sofa')).resolves.toEqual([]);
      });

      it('ranks an exact match above a typo match', async () => {
        await expect(ranked('velvet')).resolves.toEqual(['t-07', 't-08']);
        await expect(ranked('velvot')).resolves.toEqual(['t-08', 't-07']);
      });

      it('matches exact words only when typo tolerance is off', async () => {
        await expect(ids('laptpo', { typoTolerance: false })).resolves.toEqual([]);
        await expect(ids('velvet', { typoTolerance: false })).resolves.toEqual(['t-07']);
        await expect(ids('velvet', { typoTolerance: true })).resolves.toEqual(['t-07', 't-08']);
      });

      it('applies filters and paging to typo matches as to any match', async () => {
        await expect(ids('laptpo', { categoryId: 'accessories' })).resolves.toEqual([
          't-02',
          't-03',
        ]);
        const page = await index.search({ region: 'us', text: 'laptpo', limit: 1, offset: 1 });
        expect(page.total).toBe(3);
        expect(page.hits).toHaveLength(1);
      });
    });

    describe('synonyms', () => {
      it('matches any word of the query word’s group, both ways', async () => {
        await expect(ids('notebook')).resolves.toEqual([...LAPTOPS, 't-04']);
        await expect(ids('laptop')).resolves.toEqual([...LAPTOPS, 't-04']);
        await expect(ids('couch')).resolves.toEqual(['t-07']);
        await expect(ids('television')).resolves.toEqual(['t-09']);
        await expect(ids('sneakers')).resolves.toEqual(['t-10']);
      });

      it('finds the group from a plural or singular, and through every word of a phrase', async () => {
        await expect(ids('headphone')).resolves.toEqual(['t-05', 't-06']);
        await expect(ids('couches')).resolves.toEqual(['t-07']);
        // "tee" expands to "t shirt", which the title has as "T-Shirt".
        await expect(ids('tee')).resolves.toEqual(['t-12']);
        await expect(ids('cotton tee')).resolves.toEqual(['t-12']);
      });

      it('ranks the word itself above its synonyms', async () => {
        await expect(ranked('notebook').then((order) => order[0])).resolves.toBe('t-04');
        await expect(ranked('headset').then((order) => order[0])).resolves.toBe('t-06');
      });

      it('needs every other word of the query as well', async () => {
        await expect(ids('notebook stand')).resolves.toEqual(['t-02', 't-03']);
        await expect(ids('couch cushion')).resolves.toEqual([]);
      });
    });

    describe('spelling correction', () => {
      it('replaces an unknown word by the indexed word within its typo budget', async () => {
        await expect(index.spellingCorrection('laptpo')).resolves.toBe('laptop');
        await expect(index.spellingCorrection('wirelss headphnes')).resolves.toBe(
          'wireless headphones',
        );
      });

      it('keeps known words and stop words, in lower case with single spaces', async () => {
        await expect(index.spellingCorrection('The  Laptpo STAND')).resolves.toBe(
          'the laptop stand',
        );
      });

      it('answers undefined when nothing changes or nothing is close enough', async () => {
        await expect(index.spellingCorrection('laptop stand')).resolves.toBeUndefined();
        await expect(index.spellingCorrection('zeppelin')).resolves.toBeUndefined();
        await expect(index.spellingCorrection('lpatpo')).resolves.toBeUndefined();
        // Under 4 letters no word is corrected.
        await expect(index.spellingCorrection('tc')).resolves.toBeUndefined();
        await expect(index.spellingCorrection('   ')).resolves.toBeUndefined();
      });

      it('prefers the word in more products, then alphabetical order', async () => {
        // "soft" is in two products, "sofa" in one.
        await expect(index.spellingCorrection('sofe')).resolves.toBe('soft');
        // "velvet" and "velvot" are each in one product, each one edit away.
        await expect(index.spellingCorrection('velvat')).resolves.toBe('velvet');
      });

      it('offers surface words, not stems', async () => {
        await expect(index.spellingCorrection('machinne')).resolves.toBe('machine');
        await expect(index.spellingCorrection('trainrs')).resolves.toBe('trainers');
      });
    });

    describe('suggest', () => {
      const suggest = (prefix: string, limit = 10) =>
        index.suggest({ prefix, region: 'us', limit });

      it('completes the word being typed from titles, with a next word that narrows', async () => {
        await expect(suggest('la')).resolves.toEqual({
          // "laptop" is in three titles, "laptop stand" in two, "laptop x5" in one.
          completions: ['laptop', 'laptop stand'],
          products: ['t-02', 't-01', 't-03'].map((productId) => ({
            productId,
            score: expect.any(Number),
            title: expect.stringMatching(/laptop/i),
          })),
        });
      });

      it('orders products by units sold, then rating × count, and cuts both lists at the limit', async () => {
        const result = await suggest('lap', 1);
        expect(result.completions).toEqual(['laptop']);
        // t-02 sold one, t-01 none though it is better rated by more shoppers.
        expect(result.products).toMatchObject([{ productId: 't-02', score: 1 }]);
        expect(result.products).toHaveLength(1);
        const unsold = await suggest('voltix', 1);
        expect(unsold.products).toMatchObject([{ productId: 't-01', score: 0 }]);
      });

      it('takes earlier words whole and starts completions at them', async () => {
        const result = await suggest('nimbus air la');
        expect(result.completions).toEqual(['nimbus air laptop']);
        expect(result.products.map((hit) => hit.productId)).toEqual(['t-02', 't-03']);
        await expect(suggest('wireless h')).resolves.toMatchObject({
          completions: ['wireless headset', 'wireless headphones'],
        });
      });

      it('forgives one edit in the last word from 4 letters, and typos in earlier words', async () => {
        await expect(suggest('latp')).resolves.toMatchObject({
          completions: ['laptop', 'laptop stand'],
        });
        await expect(suggest('lpa')).resolves.toEqual({ completions: [], products: [] });
        const earlier = await suggest('nimbsu air lap');
        expect(earlier.completions).toEqual(['nimbus air laptop']);
      });

      it('puts what matches as typed before what matches through a typo', async () => {
        // "velvo" starts "velvot" as typed, and "velvet" with one edit; the two are as popular.
        await expect(suggest('velvo')).resolves.toEqual({
          completions: ['velvot', 'velvet'],
          products: [
            { productId: 't-08', score: expect.any(Number), title: expect.any(String) },
            { productId: 't-07', score: expect.any(Number), title: expect.any(String) },
          ],
        });
      });

      it('suggests nothing under 2 characters or without a word', async () => {
        for (const prefix of ['', 'l', ' l ', '**', '  ']) {
          await expect(suggest(prefix)).resolves.toEqual({ completions: [], products: [] });
        }
      });

      it('stops a completion where the matching titles stop agreeing', async () => {
        const result = await suggest('sono');
        expect(result.products.map((hit) => hit.productId).sort()).toEqual(['t-05', 't-06']);
        expect(result.completions).toEqual(['sonora']);
      });
    });

    describe('bad input stays text', () => {
      it('matches query syntax, regex, script and unbalanced quotes as words, never runs them', async () => {
        for (const text of HOSTILE_TEXT) {
          const result = await index.search({ region: 'us', limit: 100, offset: 0, text });
          // None of them may find the whole catalog, as `match_all` or `*` would.
          expect({ text, total: result.total < textFixture().length }).toEqual({
            text,
            total: true,
          });
          const corrected = await index.spellingCorrection(text);
          expect(['string', 'undefined']).toContain(typeof corrected);
          await expect(index.suggest({ prefix: text, region: 'us', limit: 5 })).resolves.toEqual(
            expect.objectContaining({ completions: expect.any(Array) }),
          );
        }
      });

      it('reads the words inside the syntax', async () => {
        await expect(ids('"laptop')).resolves.toEqual([...LAPTOPS, 't-04']);
        await expect(ids('laptop" stand')).resolves.toEqual(['t-02', 't-03']);
        // A wildcard is not one: "lap" is a whole word of 3 letters, which no product has.
        await expect(ids('lap*')).resolves.toEqual([]);
        // OR, AND and NOT are English stop words, so every other word must match.
        await expect(ids('laptop AND NOT stand')).resolves.toEqual(['t-02', 't-03']);
        await expect(ids('title:laptop')).resolves.toEqual([]);
        await expect(ids('/.*/')).resolves.toEqual([]);
        await expect(suggest_('lap*')).resolves.toContain('laptop');
      });

      it('reads a decimal number as one word, as the engines do', async () => {
        await expect(ids('3.2 ghz')).resolves.toEqual(['t-01']);
        await expect(ids('ghz 3.2')).resolves.toEqual(['t-01']);
      });

      const suggest_ = async (prefix: string) =>
        (await index.suggest({ prefix, region: 'us', limit: 10 })).completions;
    });
  });

  describe(`ProductIndex text contract across a rebuild: ${name}`, () => {
    let index: ProductIndex;

    const doc = (productId: string, title: string, more: Partial<ProductDocument> = {}) => ({
      ...textFixture()[0],
      productId,
      title,
      description: '',
      brand: 'Plain',
      ...more,
    });
    const ids = async (text: string) =>
      (await index.search({ region: 'us', limit: 100, offset: 0, text })).hits
        .map((hit) => hit.productId)
        .sort();
    const suggested = async (prefix: string) =>
      (await index.suggest({ prefix, region: 'us', limit: 10 })).products.map(
        (hit) => hit.productId,
      );

    beforeAll(async () => {
      const run = Array.from({ length: 10 }, () =>
        String.fromCharCode(97 + Math.floor(Math.random() * 26)),
      ).join('');
      index = await makeIndex(`mercato-test-${run}-`);
      await index.init();
      await expect(index.upsertMany([doc('r-old', 'Velvet Sofa')])).resolves.toEqual([]);
      await index.refresh();
    });

    afterAll(async () => {
      try {
        await index.drop();
      } finally {
        await index.close();
      }
    });

    it('swaps the words for typos, spelling and suggest in with the rebuilt documents', async () => {
      const rebuild = await index.beginRebuild();
      await expect(
        rebuild.upsertMany([
          doc('r-new', 'Marble Kettle', {
            categoryNames: ['Kitchen'],
            specs: ['Material Porcelain'],
          }),
        ]),
      ).resolves.toEqual([]);
      // A write of the port meanwhile reaches the new index too.
      await expect(index.upsertMany([doc('r-port', 'Copper Teapot')])).resolves.toEqual([]);
      await index.refresh();
      // Until the swap, the live index's words answer, and only those.
      await expect(ids('velvte')).resolves.toEqual(['r-old']);
      await expect(ids('marbel kettel')).resolves.toEqual([]);
      await expect(index.spellingCorrection('marbel')).resolves.toBeUndefined();
      await expect(suggested('marb')).resolves.toEqual([]);

      await rebuild.complete();
      await index.refresh();
      await expect(ids('marbel kettel')).resolves.toEqual(['r-new']);
      // Category names and spec lines are searchable text, typos and all.
      await expect(ids('kitchn porcelian')).resolves.toEqual(['r-new']);
      await expect(index.spellingCorrection('kitchn porcelian')).resolves.toBe('kitchen porcelain');
      await expect(suggested('marb')).resolves.toEqual(['r-new']);
      await expect(ids('copper teapto')).resolves.toEqual(['r-port']);
      await expect(suggested('copp')).resolves.toEqual(['r-port']);
      // The old index's words went with it.
      await expect(ids('velvte')).resolves.toEqual([]);
      await expect(index.spellingCorrection('velvte')).resolves.toBeUndefined();
      await expect(suggested('velv')).resolves.toEqual([]);
    });
  });
}
