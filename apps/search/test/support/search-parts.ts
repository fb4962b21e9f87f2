import type { MessageBus } from '@mercato/messaging';
import type { ProductIndex } from '@mercato/search-index';
import type { TestDynamo } from '@mercato/testing';
import { SearchClock } from '../../src/search.clock';
import { SearchAnalyticsRepository } from '../../src/analytics/search-analytics.repository';
import { SearchAnalytics } from '../../src/analytics/search-analytics.service';
import { DidYouMean } from '../../src/products/did-you-mean';
import { ProductLoader } from '../../src/products/product-loader';
import { SearchIndexer } from '../../src/products/search-indexer.service';
import { SearchService } from '../../src/products/search.service';
import { NeutralShopperAffinities } from '../../src/ranking/shopper-affinities';
import { SalesSignals } from '../../src/signals/sales-signals.service';
import { SalesRepository } from '../../src/signals/sales.repository';

/**
 * The search app's indexer and search service wired by hand over a test dynalite holding
 * `SEARCH_TABLES` (sales signals and analytics read and write there for real), for specs that
 * drive them without booting Nest. Analytics are never flushed (no timer without Nest's init).
 */
export function searchParts(
  index: ProductIndex,
  bus: MessageBus,
  dynamo: TestDynamo,
  config: object = {},
): { indexer: SearchIndexer; search: SearchService; sales: SalesSignals } {
  const sales = new SalesSignals(
    new SalesRepository(dynamo.doc, dynamo.tables),
    new SearchClock(),
    config,
  );
  const analytics = new SearchAnalytics(
    new SearchAnalyticsRepository(dynamo.doc, dynamo.tables),
    new SearchClock(),
    config,
  );
  return {
    indexer: new SearchIndexer(index, new ProductLoader(bus), sales),
    search: new SearchService(
      index,
      analytics,
      new NeutralShopperAffinities(),
      new DidYouMean(index),
      config,
    ),
    sales,
  };
}
