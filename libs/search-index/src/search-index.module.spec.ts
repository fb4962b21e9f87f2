import { coreConfigSchema, loadConfig } from '@mercato/config';
import { Test } from '@nestjs/testing';
import { createProductIndex } from './create-product-index';
import { OpenSearchProductIndex } from './opensearch-product-index';
import { OramaProductIndex } from './orama-product-index';
import { ProductIndex } from './product-index';
import { SearchIndexModule } from './search-index.module';

describe('SearchIndexModule', () => {
  it('provides the embedded index by default, initialised, and closes it on shutdown', async () => {
    const config = loadConfig(coreConfigSchema, {});
    const moduleRef = await Test.createTestingModule({
      imports: [SearchIndexModule.forRoot(config)],
    }).compile();
    await moduleRef.init();
    const index = moduleRef.get(ProductIndex);
    expect(index).toBeInstanceOf(OramaProductIndex);
    await expect(index.health()).resolves.toMatchObject({ up: true });
    const close = jest.spyOn(index, 'close');
    await moduleRef.close();
    expect(close).toHaveBeenCalled();
  });

  it('throws on an unknown adapter instead of falling back', () => {
    expect(() => SearchIndexModule.forRoot({ MERCATO_SEARCH: 'solr' })).toThrow(
      /Unknown MERCATO_SEARCH "solr": expected one of embedded, opensearch/,
    );
  });
});

describe('createProductIndex', () => {
  it('builds the OpenSearch adapter from the config', async () => {
    const index = createProductIndex({
      MERCATO_SEARCH: 'opensearch',
      OPENSEARCH_URL: 'http://localhost:9200',
      SEARCH_INDEX_PREFIX: 'shop-',
    });
    expect(index).toBeInstanceOf(OpenSearchProductIndex);
    expect((index as OpenSearchProductIndex).indexName).toBe('shop-products');
    await index.close();
  });

  it('needs OPENSEARCH_URL for opensearch', () => {
    expect(() => createProductIndex({ MERCATO_SEARCH: 'opensearch' })).toThrow(/OPENSEARCH_URL/);
  });
});

describe('search settings in the core config', () => {
  it('defaults to the embedded index and the mercato- prefix', () => {
    const config = loadConfig(coreConfigSchema, {});
    expect(config.MERCATO_SEARCH).toBe('embedded');
    expect(config.SEARCH_INDEX_PREFIX).toBe('mercato-');
    expect(config.OPENSEARCH_URL).toBeUndefined();
  });

  it('requires OPENSEARCH_URL only when the index is OpenSearch', () => {
    expect(() => loadConfig(coreConfigSchema, { MERCATO_SEARCH: 'opensearch' })).toThrow(
      /OPENSEARCH_URL: is required/,
    );
    expect(() => loadConfig(coreConfigSchema, { MERCATO_SEARCH: 'elastic' })).toThrow(
      /MERCATO_SEARCH/,
    );
    expect(() => loadConfig(coreConfigSchema, { SEARCH_INDEX_PREFIX: 'Shop_' })).toThrow(
      /SEARCH_INDEX_PREFIX/,
    );
  });
});
