import {
  OpenSearchProductIndex,
  productIndexTemplate,
  productSearchBody,
  readFacets,
} from './opensearch-product-index';
import type { FacetName, ProductSort } from './product-index';
import { silentSearchLogger } from './search-support';

describe('OpenSearchProductIndex without a cluster', () => {
  it('starts anyway and reports the cause through health', async () => {
    const index = new OpenSearchProductIndex({
      url: 'http://127.0.0.1:1',
      prefix: 'mercato-test-away-',
      logger: silentSearchLogger,
      healthTimeoutMs: 500,
      retryMs: 60_000,
    });
    await expect(index.init()).resolves.toBeUndefined();
    const health = await index.health();
    expect(health.up).toBe(false);
    expect(health.detail).toMatch(/^cannot reach OpenSearch at http:\/\/127\.0\.0\.1:1: .+/);
    await index.close();
  });

  it('names its index and template after the prefix', () => {
    const index = new OpenSearchProductIndex({ url: 'http://localhost:9200', prefix: 'shop-' });
    expect(index.indexName).toBe('shop-products');
    expect(index.templateName).toBe('shop-products-template');
  });
});

describe('productIndexTemplate', () => {
  const { mappings } = productIndexTemplate(1, 0);

  it('maps filters as keywords, prices as integers and text with English analysis', () => {
    expect(mappings.dynamic).toBe('strict');
    expect(mappings.properties.categoryPath.type).toBe('keyword');
    expect(mappings.properties.brand).toMatchObject({
      type: 'keyword',
      fields: { text: { analyzer: 'english' } },
    });
    expect(mappings.properties.prices.properties.ap.type).toBe('long');
    expect(mappings.properties.title.analyzer).toBe('english');
    expect(mappings.properties.description.analyzer).toBe('english');
  });
});

describe('productSearchBody', () => {
  const base = { region: 'eu' as const, limit: 10, offset: 20 };
  const stock = { term: { available: true } };
  const category = { term: { categoryPath: 'home' } };
  const brand = { term: { brand: 'Hearth' } };
  const price = { range: { 'prices.eu': { gte: 1_000, lte: 4_999 } } };
  const filtered = {
    ...base,
    categoryId: 'home',
    brand: 'Hearth',
    minPrice: 1_000,
    maxPrice: 4_999,
    inStock: true,
  };

  it('puts every filter in the query and asks for no aggregations without facets', () => {
    const body = productSearchBody(filtered, 'oak');
    expect(body.query).toEqual({
      bool: {
        must: [expect.objectContaining({ multi_match: expect.objectContaining({ query: 'oak' }) })],
        filter: [stock, category, brand, price],
      },
    });
    expect(body).not.toHaveProperty('post_filter');
    expect(body).not.toHaveProperty('aggs');
    expect(body).toMatchObject({ from: 20, size: 10, track_total_hits: true });
  });

  it('moves the facet-owned filters to post_filter and gives each facet the others', () => {
    const body = productSearchBody({ ...filtered, facets: ['category', 'brand', 'price'] }, 'oak');
    expect(body.query).toEqual({
      bool: { must: [expect.anything()], filter: [stock] },
    });
    expect(body.post_filter).toEqual({ bool: { filter: [category, brand, price] } });
    expect(body.aggs).toEqual({
      category: {
        filter: { bool: { filter: [brand, price] } },
        aggs: { values: { terms: expect.objectContaining({ field: 'categoryPath', size: 500 }) } },
      },
      brand: {
        filter: { bool: { filter: [category, price] } },
        aggs: { values: { terms: expect.objectContaining({ field: 'brand', size: 20 }) } },
      },
      price: {
        filter: { bool: { filter: [category, brand] } },
        aggs: { values: { range: expect.objectContaining({ field: 'prices.eu' }) } },
      },
    });
  });

  it('counts terms most products first, ties by value, and keys price buckets by position', () => {
    const body = productSearchBody(
      { ...base, facets: ['brand', 'price'], priceRanges: [{ to: 500 }, { from: 500 }] },
      undefined,
    );
    expect(body.query).toEqual({ bool: { must: [], filter: [] } });
    expect(body).not.toHaveProperty('post_filter');
    expect(body.aggs?.brand).toEqual({
      filter: { match_all: {} },
      aggs: {
        values: {
          terms: { field: 'brand', size: 20, order: [{ _count: 'desc' }, { _key: 'asc' }] },
        },
      },
    });
    expect(body.aggs?.price).toEqual({
      filter: { match_all: {} },
      aggs: {
        values: {
          range: {
            field: 'prices.eu',
            ranges: [
              { to: 500, key: '0' },
              { from: 500, key: '1' },
            ],
          },
        },
      },
    });
  });

  it('sorts by the chosen key in the region, then by productId', () => {
    const sort = (s?: ProductSort) => productSearchBody({ ...base, sort: s }, undefined).sort;
    const byId = { productId: { order: 'asc' } };
    expect(sort()).toEqual([{ _score: { order: 'desc' } }, byId]);
    expect(sort('relevance')).toEqual([{ _score: { order: 'desc' } }, byId]);
    expect(sort('price_asc')).toEqual([{ 'prices.eu': { order: 'asc' } }, byId]);
    expect(sort('price_desc')).toEqual([{ 'prices.eu': { order: 'desc' } }, byId]);
    expect(sort('newest')).toEqual([{ createdAt: { order: 'desc' } }, byId]);
    expect(sort('rating')).toEqual([{ rating: { order: 'desc' } }, byId]);
  });
});

describe('readFacets', () => {
  it('reads terms buckets and matches price buckets back to the ranges by key', () => {
    const query = {
      region: 'us' as const,
      limit: 0,
      offset: 0,
      facets: ['category', 'brand', 'price'] as FacetName[],
      priceRanges: [{ to: 1_000 }, { from: 1_000, to: 5_000 }, { from: 5_000 }],
    };
    const facets = readFacets(
      {
        category: { doc_count: 3, values: { buckets: [{ key: 'home', doc_count: 3 }] } },
        brand: { doc_count: 3, values: { buckets: [{ key: 'Hearth', doc_count: 2 }] } },
        // OpenSearch orders range buckets by bound; an empty one may still be listed.
        price: {
          doc_count: 3,
          values: {
            buckets: [
              { key: '2', from: 5_000, doc_count: 1 },
              { key: '0', to: 1_000, doc_count: 2 },
            ],
          },
        },
      },
      query,
    );
    expect(facets).toEqual({
      category: [{ value: 'home', count: 3 }],
      brand: [{ value: 'Hearth', count: 2 }],
      price: [
        { to: 1_000, count: 2 },
        { from: 1_000, to: 5_000, count: 0 },
        { from: 5_000, count: 1 },
      ],
    });
  });

  it('lists only the facets asked for', () => {
    expect(readFacets(undefined, { region: 'us', limit: 0, offset: 0, facets: ['brand'] })).toEqual(
      { brand: [] },
    );
  });
});
