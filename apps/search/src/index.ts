// What the all-in-one store composes: the app's module and its config fields.
export { SearchModule } from './search.module';
export { searchConfigShape } from './search.config';
export { SEARCH_TABLES } from './search.tables';
