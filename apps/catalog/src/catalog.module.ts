import { Module } from '@nestjs/common';
import { CategoriesHandlers } from './categories/categories.handlers';
import { CategoriesRepository } from './categories/categories.repository';
import { CategoriesService } from './categories/categories.service';
import { ProductsHandlers } from './products/products.handlers';
import { ProductsRepository } from './products/products.repository';
import { ProductsService } from './products/products.service';
import { CatalogSeeder } from './seed/catalog-seeder';

/**
 * The catalog service: category tree, browse and product detail over the bus, and the demo
 * catalog seed. Expects the host to provide (globally) ConfigModule, PersistenceModule and
 * MessagingModule roots.
 */
@Module({
  providers: [
    CategoriesRepository,
    CategoriesService,
    CategoriesHandlers,
    ProductsRepository,
    ProductsService,
    ProductsHandlers,
    CatalogSeeder,
  ],
  exports: [CategoriesService, ProductsService, CatalogSeeder],
})
export class CatalogModule {}
