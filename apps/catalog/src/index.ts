export { CatalogModule } from './catalog.module';
export { catalogConfigShape, catalogConfigSchema, type CatalogConfig } from './catalog.config';
export { CatalogException, CatalogErrorCode } from './catalog.exception';
export {
  CatalogSeeder,
  type SeedOptions,
  type SeedResult,
  type SeedProgress,
} from './seed/catalog-seeder';
export { CategoriesService } from './categories/categories.service';
export { ProductsService } from './products/products.service';
