import { demoSearchDocuments } from '@mercato/demo-data';
import { performance } from 'node:perf_hooks';
import { OramaProductIndex } from './orama-product-index';
import { OramaTextMatcher } from './orama-text-match';
import type { ProductDocument } from './product-index';
import { planTextQuery } from './text/words';

const doc = (productId: string, title: string, description = ''): ProductDocument => ({
  productId,
  title,
  description,
  brand: 'Acme',
  categoryId: 'c',
  categoryPath: ['c'],
  categoryNames: [],
  prices: { us: 100, eu: 100, ap: 100 },
  inStockRegions: ['us', 'eu', 'ap'],
  rating: 4,
  ratingCount: 1,
  popularity: 0,
  salesVelocity: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  attributes: [],
  specs: [],
});

describe('OramaTextMatcher', () => {
  // Lower case and split only: enough to see the vocabularies follow writes.
  const matcher = () =>
    new OramaTextMatcher((text) => text.toLowerCase().split(/\W+/).filter(Boolean));

  it('forgets the words of a replaced or removed product', () => {
    const text = matcher();
    text.add(doc('p-1', 'Velvet Sofa'));
    text.add(doc('p-1', 'Linen Sofa'));
    expect([...text.match(planTextQuery('velvet')).weights.keys()]).toEqual([]);
    expect(text.spellingCorrection('velvot')).toBeUndefined();
    expect([...text.match(planTextQuery('linen')).weights.keys()]).toEqual(['p-1']);
    text.remove('p-1');
    expect([...text.match(planTextQuery('sofa')).weights.keys()]).toEqual([]);
  });

  it('weighs each word by how it matched, exact above synonym above typo', () => {
    const text = matcher();
    text.add(doc('p-1', 'Velvet Sofa'));
    text.add(doc('p-2', 'Velvot Couch'));
    expect(text.match(planTextQuery('velvet sofa')).weights).toEqual(
      new Map([
        ['p-1', 1],
        ['p-2', 0.4 * 0.8],
      ]),
    );
  });
});

describe('OramaProductIndex text latency at 5,000 demo products', () => {
  jest.setTimeout(60_000);
  const index = new OramaProductIndex();

  beforeAll(async () => {
    await index.init();
    const docs = demoSearchDocuments(5_000);
    await expect(index.upsertMany(docs)).resolves.toEqual([]);
  });

  /** p50, p95 and p99 in ms of `run` over `queries`, each repeated, after a warm-up round. */
  const measure = async (queries: string[], run: (q: string) => Promise<unknown>) => {
    for (const q of queries) await run(q);
    const times: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (const q of queries) {
        const started = performance.now();
        await run(q);
        times.push(performance.now() - started);
      }
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    const ms = (p: number) => at(p).toFixed(2);
    return { p50: at(0.5), p95: at(0.95), text: `${ms(0.5)}/${ms(0.95)}/${ms(0.99)}` };
  };

  it('finds demo products through typos and synonyms', async () => {
    const total = async (text: string, typoTolerance?: boolean) =>
      (await index.search({ region: 'us', limit: 1, offset: 0, text, typoTolerance })).total;
    // "laptpo" finds the laptops; "laptop" finds the notebooks as well, through the synonym.
    const laptops = await total('laptpo');
    expect(laptops).toBeGreaterThan(0);
    // Not more: the demo's notebooks (a synonym) sit in the laptops category, whose name the
    // typo matches too.
    expect(await total('laptop')).toBeGreaterThanOrEqual(laptops);
    await expect(total('laptpo', false)).resolves.toBe(0);
    expect(await total('headphnes')).toBeGreaterThan(0);
    await expect(index.spellingCorrection('wireles hedphones')).resolves.toBe(
      'wireless headphones',
    );
    const suggested = await index.suggest({ prefix: 'lapt', region: 'us', limit: 5 });
    expect(suggested.completions[0]).toBe('laptop');
    expect(suggested.products).toHaveLength(5);
  });

  it('suggests well under 5 ms and corrects spelling in about a millisecond (logged)', async () => {
    const prefixes = ['la', 'lapt', 'latp', 'sm', 'head', 'voltix pro l', 'wireless ear', 'sofa'];
    const suggest = await measure(prefixes, (prefix) =>
      index.suggest({ prefix, region: 'us', limit: 10 }),
    );
    const typos = ['laptpo', 'headphnes', 'espreso machine', 'wireles earbuds', 'sofs', 'tv'];
    const search = await measure(typos, (text) =>
      index.search({ region: 'us', limit: 20, offset: 0, text }),
    );
    const spelling = await measure(typos, (text) => index.spellingCorrection(text));
    console.log(
      `[search-index] Orama at 5,000 products, ms p50/p95/p99: suggest ${suggest.text}, ` +
        `typo search ${search.text}, spelling ${spelling.text}`,
    );
    // The median, against a busy machine's pauses; the logged figures are the measurement.
    expect(suggest.p50).toBeLessThan(5);
    expect(spelling.p50).toBeLessThan(5);
  });
});
