// The embedded store as a library, for end-to-end tests and benchmarks that boot it in-process.
export { STORE_APPS, STORE_SPEC } from './store';
export { storeConfigSchema, type StoreConfig } from './store.config';
