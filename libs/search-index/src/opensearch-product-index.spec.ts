import {
  OpenSearchProductIndex,
  productIndexTemplate,
  productSearchBody,
  RANKING_SCRIPT,
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
    expect(mappings.properties.categoryNames.analyzer).toBe('english');
    expect(mappings.properties.specs.analyzer).toBe('english');
    expect(mappings.properties.inStockRegions.type).toBe('keyword');
    expect(mappings.properties.categoryPath.type).toBe('keyword');
    expect(mappings.properties.brand).toMatchObject({
      type: 'keyword',
      fields: { text: { analyzer: 'english' } },
    });
    expect(mappings.properties.prices.properties.ap.type).toBe('long');
    expect(mappings.properties.title.analyzer).toBe('english');
    expect(mappings.properties.description.analyzer).toBe('english');
  });

  it('keeps the per-region stock flags, derived for sorting, out of the stored document', () => {
    expect(mappings._source.excludes).toEqual(['inStockIn']);
    expect(mappings.properties.inStockIn.properties.ap.type).toBe('boolean');
  });
});

describe('productSearchBody', () => {
  const base = { region: 'eu' as const, limit: 10, offset: 20, sort: 'price_asc' as const };
  const sold = { exists: { field: 'prices.eu' } };
  const stock = { term: { inStockRegions: 'eu' } };
  const rated = { range: { rating: { gte: 4 } } };
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
    minRating: 4,
  };

  it('puts every filter in the query and asks for no aggregations without facets', () => {
    const body = productSearchBody(filtered, 'oak');
    expect(body.query).toEqual({
      bool: {
        // The text clause itself: opensearch-text-query.spec.ts.
        must: [{ bool: { must: [{ dis_max: expect.anything() }] } }],
        filter: [sold, stock, rated, category, brand, price],
      },
    });
    expect(body).not.toHaveProperty('post_filter');
    expect(body).not.toHaveProperty('aggs');
    expect(body).toMatchObject({ from: 20, size: 10, track_total_hits: true });
  });

  it('moves the facet-owned filters to post_filter and gives each facet the others', () => {
    const body = productSearchBody({ ...filtered, facets: ['category', 'brand', 'price'] }, 'oak');
    expect(body.query).toEqual({
      bool: { must: [expect.anything()], filter: [sold, stock, rated] },
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
    expect(body.query).toEqual({ bool: { must: [], filter: [sold] } });
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
    const inStockFirst = { 'inStockIn.eu': { order: 'desc' } };
    expect(sort()).toEqual([inStockFirst, { _score: { order: 'desc' } }, byId]);
    expect(sort('relevance')).toEqual([inStockFirst, { _score: { order: 'desc' } }, byId]);
    expect(sort('price_asc')).toEqual([{ 'prices.eu': { order: 'asc' } }, byId]);
    expect(sort('price_desc')).toEqual([{ 'prices.eu': { order: 'desc' } }, byId]);
    expect(sort('newest')).toEqual([{ createdAt: { order: 'desc' } }, byId]);
    expect(sort('rating')).toEqual([{ rating: { order: 'desc' } }, byId]);
  });
});

describe('productSearchBody ranking', () => {
  it('scores relevance with the ranking script around the matching query, with text or without', () => {
    const body = productSearchBody(
      {
        region: 'us',
        limit: 5,
        offset: 0,
        ranking: { weights: { rating: 0 }, affinities: { brands: { Hearth: 1 } } },
      },
      'oak',
    );
    expect(body.query).toEqual({
      script_score: {
        query: { bool: { must: [expect.anything()], filter: [expect.anything()] } },
        script: {
          source: RANKING_SCRIPT,
          params: {
            popularity: 0.1,
            salesVelocity: 0.2,
            rating: 0,
            affinity: 0.5,
            ratingPrior: 10,
            categories: {},
            brands: { Hearth: 1 },
            hasText: true,
          },
        },
      },
    });
    const browse = productSearchBody({ region: 'us', limit: 5, offset: 0 }, undefined);
    expect(browse.query).toMatchObject({
      script_score: { script: { params: { hasText: false } } },
    });
  });

  it('weights the text fields as TEXT_FIELD_WEIGHTS says', () => {
    const body = productSearchBody({ region: 'us', limit: 5, offset: 0, sort: 'newest' }, 'oak');
    const fields = [
      'title^3',
      'description^0.5',
      'brand.text^2',
      'categoryNames^1.5',
      'specs^1',
      'attributes^1',
    ];
    // Every way a word matches (as typed, synonym, typo) searches the same weighted fields.
    expect(body.query).toMatchObject({
      bool: {
        must: [{ bool: { must: [{ dis_max: { queries: [{ multi_match: { fields } }] } }] } }],
      },
    });
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
