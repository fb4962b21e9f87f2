import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@mercato/config';
import {
  createProductIndex,
  ProductIndex,
  SearchIndexLifecycle,
  type SearchIndexConfig,
} from '@mercato/search-index';
import { IndexedProducts } from './products/indexed-products';
import { IndexingHandlers } from './products/indexing.handlers';
import { ProductLoader } from './products/product-loader';
import { SearchIndexer } from './products/search-indexer.service';
import { SearchHandlers } from './products/search.handlers';
import { SearchService } from './products/search.service';

/**
 * The search service: keeps the product index (`ProductIndex`: Orama embedded, OpenSearch on the
 * stack, chosen by MERCATO_SEARCH) in step with catalog and inventory events, and answers
 * `SearchProducts` over the bus. Facets, suggestions and ranking come with the rest of issue 19
 * (docs/search.md). Expects the host's global config and messaging roots; the index is provided
 * here from the process config, as `SearchIndexModule.forRoot` would, because a feature module
 * only sees the config at run time (only the search app uses the index).
 */
@Module({
  providers: [
    {
      provide: ProductIndex,
      useFactory: (config: SearchIndexConfig) => createProductIndex(config),
      inject: [APP_CONFIG],
    },
    SearchIndexLifecycle,
    IndexedProducts,
    ProductLoader,
    SearchIndexer,
    IndexingHandlers,
    SearchService,
    SearchHandlers,
  ],
})
export class SearchModule {}
