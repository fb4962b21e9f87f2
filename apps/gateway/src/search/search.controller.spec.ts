import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FAKE_QUERY_ID, FakeSearchService } from '../../test/support/fake-search-service';
import { bearer, startGatewayTestApp, type TestUser } from '../../test/support/gateway-test-app';
import { SearchGatewayModule } from './search-gateway.module';

/** The search routes over HTTP, with a fake search service on the bus. */
describe('Search HTTP API', () => {
  let app: NestFastifyApplication;
  let search: FakeSearchService;

  beforeAll(async () => {
    app = await startGatewayTestApp([SearchGatewayModule], [FakeSearchService]);
    search = app.get(FakeSearchService);
  });
  afterAll(() => app?.close());

  const get = (url: string, user?: TestUser, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { ...headers, ...(user ? bearer(user) : {}) } });
  const post = (url: string, payload: object, user?: TestUser) =>
    app.inject({ method: 'POST', url, payload, headers: user ? bearer(user) : {} });

  describe('GET /v1/search', () => {
    it('passes every filter and the sort on, in the search service’s terms', async () => {
      const res = await get(
        '/v1/search?q=laptop&category=electronics&brand=Northwind&minPrice=100&maxPrice=200000' +
          '&inStock=true&rating=4&sort=price_asc&facets=brand,price,brand&limit=5&cursor=abc',
        undefined,
        { 'x-region': 'eu' },
      );
      expect(res.statusCode).toBe(200);
      expect(search.last()).toMatchObject({
        type: 'search.products.search',
        payload: {
          q: 'laptop',
          categoryId: 'electronics',
          brand: 'Northwind',
          minPrice: 100,
          maxPrice: 200000,
          inStock: true,
          minRating: 4,
          sort: 'price_asc',
          facets: ['brand', 'price'],
          limit: 5,
          cursor: 'abc',
          region: 'eu',
        },
      });
      expect(search.last().payload).not.toHaveProperty('shopperId');
    });

    it('answers the public shape, never cached', async () => {
      const res = await get('/v1/search?q=laptop');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        total: 1,
        hits: [
          {
            productId: 'p-000042',
            title: 'Northwind Ultra Laptop 14 X2',
            brand: 'Northwind',
            category: 'electronics-computers-laptops',
            price: { amount: 129900, currency: 'USD' },
            rating: 4.4,
            ratingCount: 318,
            available: true,
          },
        ],
        facets: {
          category: [{ value: 'category', count: 1 }],
          brand: [{ value: 'brand', count: 1 }],
          price: [{ from: 100000, count: 1 }],
        },
        didYouMean: null,
        queryId: FAKE_QUERY_ID,
        tookMs: 3,
        nextCursor: null,
      });
      expect(search.last().payload).toMatchObject({
        facets: ['category', 'brand', 'price'],
        limit: 20,
        region: 'us',
      });
    });

    it('ranks for the signed-in customer, in their region', async () => {
      await get('/v1/search?q=boot', 'ann');
      expect(search.last().payload).toMatchObject({ shopperId: 'c-ann', region: 'eu' });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['minPrice=-1', 'minPrice'],
      ['minPrice=1.5', 'minPrice'],
      ['minPrice=500&maxPrice=100', 'minPrice'],
      ['rating=6', 'rating'],
      ['inStock=yes', 'inStock'],
      ['sort=cheapest', 'sort'],
      ['facets=brand,colour', 'facets'],
      ['facets=', 'facets'],
      ['facets=brand,,price', 'facets'],
      ['explain=1', 'explain'],
      ['colour=red', 'colour'],
    ])('answers 400 INVALID_REQUEST for %s, asking nothing', async (query, field) => {
      const before = search.received.length;
      const res = await get(`/v1/search?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(search.received.length).toBe(before);
    });

    it.each(['QUERY_TOO_LONG', 'INVALID_CURSOR'])(
      'passes the search service’s 400 %s on as problem+json',
      async (code) => {
        search.refuseNext({ status: 400, code, message: 'refused' });
        const res = await get('/v1/search?q=laptop&cursor=zzz');
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ status: 400, code, detail: 'refused' });
      },
    );

    it('explains the ranking to admins only', async () => {
      expect((await get('/v1/search?q=laptop&explain=true', 'ada')).statusCode).toBe(200);
      expect(search.last().payload).toMatchObject({ explain: true });
      const before = search.received.length;
      for (const caller of ['ann', 'sam', undefined] as const) {
        const res = await get('/v1/search?q=laptop&explain=true', caller);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ code: 'EXPLAIN_REQUIRES_ADMIN' });
      }
      expect(search.received.length).toBe(before);
    });

    it('answers 401 for a bad token and 400 for an unknown region', async () => {
      const bad = await app.inject({
        method: 'GET',
        url: '/v1/search?q=x',
        headers: { authorization: 'Bearer nobody' },
      });
      expect(bad.statusCode).toBe(401);
      const region = await get('/v1/search?q=x', undefined, { 'x-region': 'mars' });
      expect(region.json()).toMatchObject({ status: 400, code: 'UNKNOWN_REGION' });
    });
  });

  describe('GET /v1/search/suggest', () => {
    it('asks the search service with the region and limit', async () => {
      const res = await get('/v1/search/suggest?q=lap&limit=3', 'ann');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        suggestions: [{ text: 'laptop' }, { text: 'Laptop', productId: 'p-1' }],
      });
      expect(search.last()).toMatchObject({
        type: 'search.products.suggest',
        payload: { q: 'lap', limit: 3, region: 'eu' },
      });
      await get('/v1/search/suggest?q=lap');
      expect(search.last().payload).toMatchObject({ limit: 8, region: 'us' });
    });

    it('answers no suggestions under two characters without asking', async () => {
      const before = search.received.length;
      for (const q of ['l', '%20l%20', '']) {
        const res = await get(`/v1/search/suggest?q=${q}`);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ suggestions: [] });
      }
      expect(search.received.length).toBe(before);
    });

    it.each(['', 'q=lap&limit=0', 'q=lap&limit=11', 'q=lap&brand=x'])(
      'answers 400 INVALID_REQUEST for "%s"',
      async (query) => {
        const res = await get(`/v1/search/suggest?${query}`);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST' });
      },
    );
  });

  describe('POST /v1/search/feedback', () => {
    const click = { queryId: FAKE_QUERY_ID, productId: 'p-000042', type: 'click' };

    it('records the feedback by search, never by who sent it: 202', async () => {
      const res = await post('/v1/search/feedback', click, 'ann');
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ counted: true });
      expect(search.last()).toMatchObject({
        type: 'search.feedback.record',
        payload: click,
        key: FAKE_QUERY_ID,
      });
      expect(JSON.stringify(search.last().payload)).not.toContain('c-ann');
    });

    it.each([
      [{ ...click, type: 'purchase' }, 'type'],
      [{ ...click, queryId: '' }, 'queryId'],
      [{ queryId: FAKE_QUERY_ID, type: 'click' }, 'productId'],
      [{ ...click, customerId: 'c-ann' }, 'customerId'],
    ])('answers 400 INVALID_REQUEST for an invalid body (%j)', async (body, field) => {
      const res = await post('/v1/search/feedback', body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('passes INVALID_QUERY_ID on as 400', async () => {
      search.refuseNext({ status: 400, code: 'INVALID_QUERY_ID', message: 'not ours' });
      const res = await post('/v1/search/feedback', click);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INVALID_QUERY_ID' });
    });
  });

  describe('GET /v1/admin/search/insights', () => {
    it('answers admins with the insights of the days asked, never cached', async () => {
      const res = await get('/v1/admin/search/insights?days=30&limit=5', 'ada');
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toMatchObject({ from: '2026-12-01', topQueries: [] });
      expect(search.last()).toMatchObject({
        type: 'search.insights.get',
        payload: { days: 30, limit: 5 },
      });
      await get('/v1/admin/search/insights', 'ada');
      expect(search.last().payload).toEqual({ days: 7, limit: 20 });
    });

    it('answers 401 without a token and 403 to customers and sellers', async () => {
      expect((await get('/v1/admin/search/insights')).statusCode).toBe(401);
      expect((await get('/v1/admin/search/insights', 'ann')).statusCode).toBe(403);
      expect((await get('/v1/admin/search/insights', 'sam')).statusCode).toBe(403);
    });

    it.each(['days=0', 'days=91', 'limit=101', 'region=us'])(
      'answers 400 INVALID_REQUEST for %s',
      async (query) => {
        const res = await get(`/v1/admin/search/insights?${query}`, 'ada');
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST' });
      },
    );
  });
});
