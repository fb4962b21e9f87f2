import { Module } from '@nestjs/common';
import { PersistenceModule } from '@mercato/persistence';
import { CATALOG_TABLES } from './catalog.tables';
import { CartQuoteService } from './cart-quotes/cart-quote.service';
import { CartQuotesHandlers } from './cart-quotes/cart-quotes.handlers';
import { CategoriesHandlers } from './categories/categories.handlers';
import { CategoriesRepository } from './categories/categories.repository';
import { CategoriesService } from './categories/categories.service';
import { ProductFeedService } from './products/product-feed.service';
import { ProductWritesService } from './products/product-writes.service';
import { ProductsHandlers } from './products/products.handlers';
import { ProductsOutbox } from './products/products.outbox';
import { ProductsOutboxRepository } from './products/products-outbox.repository';
import { ProductsRepository } from './products/products.repository';
import { ProductsService } from './products/products.service';
import { PromotionsHandlers } from './promotions/promotions.handlers';
import { PromotionsRepository } from './promotions/promotions.repository';
import { PromotionsService } from './promotions/promotions.service';
import { CatalogSeedRepository } from './seed/catalog-seed.repository';
import { CatalogSeeder } from './seed/catalog-seeder';

/**
 * The catalog service: category tree, browse and product detail over the bus, cart quotes
 * (`QuoteCart`) and the demo catalog seed. Expects the host to provide (globally) ConfigModule,
 * PersistenceModule and MessagingModule roots; registers its tables (`CATALOG_TABLES`) with the
 * persistence module.
 */
@Module({
  imports: [PersistenceModule.forFeature(CATALOG_TABLES)],
  providers: [
    CategoriesRepository,
    CategoriesService,
    CategoriesHandlers,
    ProductsRepository,
    ProductsService,
    ProductsHandlers,
    ProductWritesService,
    ProductFeedService,
    ProductsOutboxRepository,
    ProductsOutbox,
    PromotionsRepository,
    PromotionsService,
    PromotionsHandlers,
    CartQuoteService,
    CartQuotesHandlers,
    CatalogSeedRepository,
    CatalogSeeder,
  ],
  exports: [CategoriesService, ProductsService, CatalogSeeder, PromotionsService],
})
export class CatalogModule {}
