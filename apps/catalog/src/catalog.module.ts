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

export { catalogConfigShape, catalogConfigSchema, type CatalogConfig } from './catalog.config';
export { CatalogException, CatalogErrorCode } from './catalog.exception';
export { CatalogSeeder, type SeedOptions, type SeedResult, type SeedProgress } from './seed/catalog-seeder';
export { CategoriesService } from './categories/categories.service';
export { ProductsService } from './products/products.service';
