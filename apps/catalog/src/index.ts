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
// The catalog's tables as plain data (key schema, attributes, indexes, billing): the module
// registers them; infrastructure code derives the deployed tables from the same definitions.
export { CATALOG_TABLES } from './catalog.tables';
export { PRODUCTS_TABLE, PRODUCT_INDEXES } from './products/products.tables';
export { PROMOTIONS_TABLE } from './promotions/promotions.tables';
