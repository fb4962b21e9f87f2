import { Module } from '@nestjs/common';
import { PersistenceModule } from '@mercato/persistence';
import { SearchIndexModule } from '@mercato/search-index';
import { SearchAnalyticsModule } from './analytics/search-analytics.module';
import { DidYouMean } from './products/did-you-mean';
import { IndexingHandlers } from './products/indexing.handlers';
import { ProductLoader } from './products/product-loader';
import { SearchIndexer } from './products/search-indexer.service';
import { SearchHandlers } from './products/search.handlers';
import { SearchService } from './products/search.service';
import { SuggestService } from './products/suggest.service';
import { NeutralShopperAffinities, ShopperAffinities } from './ranking/shopper-affinities';
import { ReindexHandlers } from './reindex/reindex.handlers';
import { SearchReindex } from './reindex/search-reindex.service';
import { SalesRecorder } from './signals/sales-recorder.service';
import { SalesSignals } from './signals/sales-signals.service';
import { SalesHandlers } from './signals/sales.handlers';
import { SalesRepository } from './signals/sales.repository';
import { SALES_TABLES } from './signals/sales.tables';

/**
 * The search service (docs/search.md). `products/`: keeps the product index (`ProductIndex`:
 * Orama embedded, OpenSearch on the stack, chosen by MERCATO_SEARCH) in step with catalog and
 * inventory events and answers `SearchProducts` and `SuggestSearch`; `ranking/`: the weights
 * and the shopper-affinities port; `signals/`: popularity and sales velocity from order events
 * (the `search-sales` table); `analytics/`: anonymised query counts, feedback, insights and
 * metrics; `reindex/`: the full rebuild behind an alias. Expects the host's global config,
 * persistence and messaging roots; the index comes from `SearchIndexModule.forFeature()`.
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
    DidYouMean,
    SearchService,
    SuggestService,
    SearchHandlers,
    { provide: ShopperAffinities, useClass: NeutralShopperAffinities },
    SearchReindex,
    ReindexHandlers,
    SalesRepository,
    SalesSignals,
    SalesRecorder,
    SalesHandlers,
  ],
})
export class SearchModule {}
