import { OpenSearchProductIndex } from './opensearch-product-index';
import { OramaProductIndex } from './orama-product-index';
import type { ProductIndex } from './product-index';
import type { SearchLogger } from './search-support';

/** The search settings of the core config (libs/config); CoreConfig satisfies this shape. */
export interface SearchIndexConfig {
  MERCATO_SEARCH: string;
  OPENSEARCH_URL?: string;
  SEARCH_INDEX_PREFIX?: string;
}

export const SEARCH_ADAPTERS = ['embedded', 'opensearch'] as const;

/** Throws unless the config names a known adapter with what it needs (never a silent fallback). */
export function assertSearchIndexConfig(config: SearchIndexConfig): void {
  if (!(SEARCH_ADAPTERS as readonly string[]).includes(config.MERCATO_SEARCH)) {
    throw new Error(
      `Unknown MERCATO_SEARCH "${config.MERCATO_SEARCH}": expected one of ${SEARCH_ADAPTERS.join(', ')}`,
    );
  }
  if (config.MERCATO_SEARCH === 'opensearch' && !config.OPENSEARCH_URL) {
    throw new Error(
      'MERCATO_SEARCH=opensearch needs OPENSEARCH_URL (e.g. "http://localhost:9200")',
    );
  }
}

/** Builds the configured product index, not yet initialised: for Nest (SearchIndexModule), scripts and tests. */
export function createProductIndex(
  config: SearchIndexConfig,
  options: { logger?: SearchLogger } = {},
): ProductIndex {
  assertSearchIndexConfig(config);
  if (config.MERCATO_SEARCH === 'opensearch') {
    return new OpenSearchProductIndex({
      url: config.OPENSEARCH_URL ?? '',
      prefix: config.SEARCH_INDEX_PREFIX ?? 'mercato-',
      logger: options.logger,
    });
  }
  return new OramaProductIndex();
}
