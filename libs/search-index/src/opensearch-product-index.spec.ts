import { OpenSearchProductIndex, productIndexTemplate } from './opensearch-product-index';
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
