import { randomInt } from 'node:crypto';
import { call } from './embedded-store';
import { eventually, firstLeaf, productBody } from './commerce.specs';
import { newSeller, signInAdmin } from './shop-accounts';
import type { StoreUnderTest } from './store-api.suite';

type RequestHeaders = Record<string, string>;

/** How soon a catalog, stock or price change must show in search (issue 19). */
const SEARCH_LAG_MS = 2_000;

const SYLLABLES = ['ka', 'zo', 'ru', 'mi', 'te', 'vo', 'lu', 'xa', 'pe', 'qi'];

/**
 * A made-up word no demo product has, nine letters that English stemming leaves alone (it ends
 * in x), so a test finds exactly the products it created.
 */
const inventedWord = (): string =>
  Array.from({ length: 4 }, () => SYLLABLES[randomInt(SYLLABLES.length)]).join('') + 'x';

interface Hit {
  productId: string;
  title: string;
  price: { amount: number; currency: string };
  available: boolean;
}

/**
 * Search (issue 19) end to end, on any way of running the store: changes reach search within
 * two seconds, typos and didYouMean, suggest, the rebuild behind an alias under load, analytics,
 * and bad input.
 */
export function searchSpecs(target: () => StoreUnderTest): void {
  const api = (method: string, path: string, body?: unknown, headers?: RequestHeaders) =>
    call(target().baseUrl, method, path, { body, headers });
  const bearer = (token: string): RequestHeaders => ({ authorization: `Bearer ${token}` });
  const search = async (query: Record<string, string>, headers: RequestHeaders = {}) => {
    const response = await api('GET', `/v1/search?${new URLSearchParams(query)}`, undefined, {
      'x-region': 'us',
      ...headers,
    });
    return response;
  };

  let adminToken: string;
  let sellerToken: string;
  let leafCategory: string;

  beforeAll(async () => {
    adminToken = await signInAdmin(target().baseUrl);
    sellerToken = await newSeller(target().baseUrl, adminToken, 'Search Seller');
    const categories = await api('GET', '/v1/categories');
    leafCategory = firstLeaf(categories.body.items);
  });

  /** A product of the test seller whose title holds `word`; each SKU stocked in us-east. */
  async function product(word: string, usd = 12_900, stocked = true): Promise<string> {
    const sku = `SR-${word.toUpperCase()}-${randomInt(1e6)}`;
    const body = productBody(leafCategory, [sku], `${word} trail lamp`);
    body.variants[0].prices[0].amount = usd;
    const created = await api('POST', '/v1/seller/products', body, bearer(sellerToken));
    expect(created.status).toBe(201);
    if (stocked) await setStock(sku, 5);
    return created.body.productId as string;
  }

  async function setStock(sku: string, onHand: number): Promise<void> {
    await eventually(
      async () => {
        const response = await api(
          'POST',
          '/v1/seller/inventory/feed',
          [{ sku, warehouseId: 'us-east', onHand }],
          bearer(sellerToken),
        );
        const status = response.body?.results?.[0]?.status as string | undefined;
        // The stock item is created from the catalog event: a new SKU is unknown for a moment.
        return status === 'applied' || status === 'unchanged' ? true : undefined;
      },
      15_000,
      `stock of ${sku}`,
    );
  }

  async function skuOf(productId: string): Promise<string> {
    const detail = await api('GET', `/v1/products/${productId}`, undefined, { 'x-region': 'us' });
    return detail.body.variants[0].sku as string;
  }

  /** The hits of `q` once `ready` holds for them, and how long that took. */
  const searchUntil = (
    query: Record<string, string>,
    ready: (hits: Hit[], body: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs = SEARCH_LAG_MS,
  ) =>
    eventually(
      async () => {
        const response = await search(query);
        expect(response.status).toBe(200);
        const hits = response.body.hits as Hit[];
        return ready(hits, response.body) ? hits : undefined;
      },
      timeoutMs,
      what,
    );

  describe('freshness', () => {
    it('finds a new product by a word of its title within 2 s', async () => {
      const word = inventedWord();
      const productId = await product(word);
      const { value: hits } = await searchUntil(
        { q: word },
        (found) => found.some((hit) => hit.productId === productId),
        'the new product in search',
      );
      expect(hits[0]).toMatchObject({
        productId,
        title: `${word} trail lamp`,
        price: { amount: 12_900, currency: 'USD' },
      });
    });

    it('moves a product whose stock went to zero behind in-stock ones, and out of inStock=true', async () => {
      const word = inventedWord();
      const first = await product(word, 10_000);
      const second = await product(word, 10_000);
      await searchUntil(
        { q: word },
        (hits) => hits.length === 2 && hits.every((hit) => hit.available),
        'both products in stock',
        15_000,
      );
      const emptied = [first, second].sort()[0];
      await setStock(await skuOf(emptied), 0);
      const { value: hits } = await searchUntil(
        { q: word },
        (found) => found.at(-1)?.productId === emptied && !found.at(-1)?.available,
        'the emptied product last',
      );
      expect(hits.map((hit) => hit.available)).toEqual([true, false]);
      const inStock = await search({ q: word, inStock: 'true' });
      expect(inStock.body.hits.map((hit: Hit) => hit.productId)).toEqual(
        [first, second].filter((id) => id !== emptied),
      );
    });

    it('shows a price change within 2 s', async () => {
      const word = inventedWord();
      const productId = await product(word, 12_900);
      await searchUntil({ q: word }, (hits) => hits.length === 1, 'the product', 15_000);
      const detail = await api('GET', `/v1/products/${productId}`, undefined, { 'x-region': 'us' });
      const body = productBody(leafCategory, [detail.body.variants[0].sku], `${word} trail lamp`);
      body.variants[0].prices[0].amount = 9_900;
      const updated = await api(
        'PUT',
        `/v1/seller/products/${productId}`,
        body,
        bearer(sellerToken),
      );
      expect(updated.status).toBe(200);
      await searchUntil(
        { q: word },
        (hits) => hits[0]?.price.amount === 9_900,
        'the new price in search',
      );
    });
  });

  describe('typos, didYouMean and suggest', () => {
    let word: string;
    let productId: string;

    beforeAll(async () => {
      word = inventedWord();
      productId = await product(word);
      await searchUntil({ q: word }, (hits) => hits.length === 1, 'the product', 15_000);
    });

    const misspellings = () => ({
      transposed: word.slice(0, 2) + word[3] + word[2] + word.slice(4),
      missing: word.slice(0, 3) + word.slice(4),
      doubled: word.slice(0, 3) + word[3] + word.slice(3),
    });

    it('finds the product in the top 5 for transposed, missing and doubled letters', async () => {
      for (const [kind, typed] of Object.entries(misspellings())) {
        const response = await search({ q: `${typed} lamp` });
        expect(response.status).toBe(200);
        const top5 = (response.body.hits as Hit[]).slice(0, 5).map((hit) => hit.productId);
        expect({ kind, found: top5.includes(productId) }).toEqual({ kind, found: true });
      }
    });

    it('offers didYouMean for a misspelling and never for a correct query', async () => {
      const wrong = await search({ q: misspellings().missing });
      expect(wrong.body.didYouMean).toBe(word);
      const right = await search({ q: word });
      expect(right.body.didYouMean).toBeNull();
    });

    it('completes 2- and 3-letter prefixes and names matching products', async () => {
      for (const prefix of [word.slice(0, 2), word.slice(0, 3)]) {
        const response = await api('GET', `/v1/search/suggest?q=${prefix}&limit=10`, undefined, {
          'x-region': 'us',
        });
        expect(response.status).toBe(200);
        const texts = (response.body.suggestions as { text: string }[]).map((s) => s.text);
        expect(texts.length).toBeGreaterThan(0);
        expect(texts.every((text) => text.toLowerCase().includes(prefix))).toBe(true);
      }
      const full = await api('GET', `/v1/search/suggest?q=${word.slice(0, 6)}`, undefined, {
        'x-region': 'us',
      });
      expect(full.body.suggestions).toEqual(
        expect.arrayContaining([expect.objectContaining({ productId })]),
      );
    });
  });

  describe('the rebuild behind an alias', () => {
    it('answers every search during a reindex, none failed or empty', async () => {
      const word = inventedWord();
      await product(word);
      await searchUntil({ q: word }, (hits) => hits.length === 1, 'the product', 15_000);
      const started = await api('POST', '/v1/admin/search/reindex', undefined, bearer(adminToken));
      expect(started.status).toBe(202);
      const failures: string[] = [];
      let searches = 0;
      let state = 'running';
      while (state === 'running') {
        const response = await search({ q: word });
        searches++;
        if (response.status !== 200 || response.body.total !== 1) {
          failures.push(`${response.status} total=${String(response.body?.total)}`);
        }
        const status = await api('GET', '/v1/admin/search/reindex', undefined, bearer(adminToken));
        state = status.body.state as string;
      }
      expect(state).toBe('completed');
      expect({ searches: searches > 0, failures }).toEqual({ searches: true, failures: [] });
    }, 120_000);
  });

  describe('analytics', () => {
    it('counts queries, zero-result queries and clicks without who asked', async () => {
      const word = inventedWord();
      const productId = await product(word);
      const { value } = await searchUntil(
        { q: word },
        (hits) => hits.length === 1,
        'the product',
        15_000,
      );
      expect(value).toHaveLength(1);
      // Five searches: the query ranks among the top ones whatever else this store was asked.
      for (let i = 0; i < 4; i++) expect((await search({ q: word })).status).toBe(200);
      const found = await search({ q: word });
      const nothingQuery = `${inventedWord()} ${inventedWord()}`;
      const nothing = await search({ q: nothingQuery });
      expect(nothing.body.total).toBe(0);
      const click = await api('POST', '/v1/search/feedback', {
        queryId: found.body.queryId,
        productId,
        type: 'click',
      });
      expect(click.status).toBe(202);
      const { value: insights } = await eventually(
        async () => {
          const response = await api(
            'GET',
            '/v1/admin/search/insights?days=1&limit=100',
            undefined,
            bearer(adminToken),
          );
          expect(response.status).toBe(200);
          const top = response.body.topQueries.find((q: { query: string }) => q.query === word);
          const empty = response.body.zeroResultQueries.find(
            (q: { query: string }) => q.query === nothingQuery,
          );
          // Clicks are written at once; searches at the next flush (SEARCH_ANALYTICS_FLUSH_MS).
          return top?.clicks === 1 && top.searches >= 6 && empty ? response.body : undefined;
        },
        15_000,
        'the searches and the click in the insights',
      );
      expect(JSON.stringify(insights)).not.toContain('customerId');
      expect(insights.zeroResultQueries).toEqual(
        expect.arrayContaining([expect.objectContaining({ query: nothingQuery, zeroResults: 1 })]),
      );
      expect(insights.topQueries).toEqual(
        expect.arrayContaining([expect.objectContaining({ query: word, clicks: 1 })]),
      );
    });
  });

  describe('bad input', () => {
    it.each([
      ['a 1,000-character query', { q: 'a'.repeat(1_000) }, 'QUERY_TOO_LONG'],
      ['an unknown sort', { q: 'lamp', sort: 'cheapest' }, undefined],
      ['an unknown facet', { q: 'lamp', facets: 'colour' }, undefined],
      ['a negative limit', { q: 'lamp', limit: '-1' }, undefined],
      ['an absurd limit', { q: 'lamp', limit: '100000' }, undefined],
      ['an invalid cursor', { q: 'lamp', cursor: 'not-a-cursor' }, 'INVALID_CURSOR'],
    ])('refuses %s with 400', async (_, query, code) => {
      const response = await search(query as Record<string, string>);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      if (code) expect(response.body.code).toBe(code);
    });

    it.each([
      '{"query":{"match_all":{}}}',
      'title:* OR 1=1',
      '/.*/',
      '"unbalanced quote',
      "doc['price'].value * 1000",
      '*',
    ])('treats %j as text: 200, never executed', async (q) => {
      const response = await search({ q });
      expect(response.status).toBe(200);
      expect(response.body.total).toBeLessThan(50);
    });
  });
}
