export * from './random';
export * from './profiles';
export * from './categories';
export * from './catalog-generator';
export * from './seed-config';
export { demoSearchDocument, demoSearchDocuments } from './search-documents';
