import { Module } from '@nestjs/common';
import { SearchIndexModule } from '@mercato/search-index';
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
 * (docs/search.md). Expects the host's global config and messaging roots; the index comes
 * from `SearchIndexModule.forFeature()`, which reads the process config (only the search app
 * uses the index).
 */
@Module({
  imports: [SearchIndexModule.forFeature()],
  providers: [
    IndexedProducts,
    ProductLoader,
    SearchIndexer,
    IndexingHandlers,
    SearchService,
    SearchHandlers,
  ],
})
export class SearchModule {}
