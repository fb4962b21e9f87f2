import { Module } from '@nestjs/common';
import { PersistenceModule } from '@mercato/persistence';
import { PopularQueries } from './popular-queries';
import { SearchClock } from '../search.clock';
import { SearchAnalyticsHandlers } from './search-analytics.handlers';
import { SearchAnalyticsRepository } from './search-analytics.repository';
import { SearchAnalytics } from './search-analytics.service';
import { SEARCH_ANALYTICS_TABLES } from './search-analytics.tables';

/**
 * Search analytics (docs/search.md, "Search analytics"): `SearchAnalytics` for the search path
 * (`recordSearch`, `recordSuggest`), `PopularQueries` for autocomplete, the feedback and insights handlers, and the search app's
 * tables. Expects the host's ConfigModule, PersistenceModule and MessagingModule roots.
 */
@Module({
  imports: [PersistenceModule.forFeature(SEARCH_ANALYTICS_TABLES)],
  providers: [
    SearchClock,
    SearchAnalyticsRepository,
    SearchAnalytics,
    SearchAnalyticsHandlers,
    PopularQueries,
  ],
  exports: [SearchAnalytics, PopularQueries, SearchClock],
})
export class SearchAnalyticsModule {}
