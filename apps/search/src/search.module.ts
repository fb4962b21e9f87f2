import { Module } from '@nestjs/common';
import { PersistenceModule } from '@mercato/persistence';
import { SearchIndexModule } from '@mercato/search-index';
import { SearchAnalyticsModule } from './analytics/search-analytics.module';
import { IndexingHandlers } from './products/indexing.handlers';
import { ProductLoader } from './products/product-loader';
import { SearchIndexer } from './products/search-indexer.service';
import { SearchHandlers } from './products/search.handlers';
import { SearchService } from './products/search.service';
import { SalesClock } from './signals/sales-clock';
import { SalesRecorder } from './signals/sales-recorder.service';
import { SalesSignals } from './signals/sales-signals.service';
import { SalesHandlers } from './signals/sales.handlers';
import { SalesRepository } from './signals/sales.repository';
import { SALES_TABLES } from './signals/sales.tables';

/**
 * The search service: keeps the product index (`ProductIndex`: Orama embedded, OpenSearch on the
 * stack, chosen by MERCATO_SEARCH) in step with catalog and inventory events, and answers
 * `SearchProducts` over the bus. Facets, suggestions and ranking come with the rest of issue 19
 * (docs/search.md). Expects the host's global config and messaging roots; the index comes
 * from `SearchIndexModule.forFeature()`, which reads the process config (only the search app
 * uses the index). Sales signals (popularity, velocity) come from order events into the app's
 * `search-sales` table; search analytics (counts, feedback, insights, metrics) from
 * `SearchAnalyticsModule`, which registers its own tables.
 */
@Module({
  imports: [
    SearchIndexModule.forFeature(),
    PersistenceModule.forFeature(SALES_TABLES),
    SearchAnalyticsModule,
  ],
  providers: [
    ProductLoader,
    SearchIndexer,
    IndexingHandlers,
    SearchService,
    SearchHandlers,
    SalesClock,
    SalesRepository,
    SalesSignals,
    SalesRecorder,
    SalesHandlers,
  ],
})
export class SearchModule {}
