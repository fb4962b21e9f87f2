export { KeyValueCache, type CacheEntry, type CacheHealth } from './key-value-cache';
export { CacheUnavailableError, CacheValueError, CacheErrorCode } from './errors';
export { MemoryCache, type MemoryCacheOptions } from './memory-cache';
export { RedisCache, type RedisCacheOptions } from './redis-cache';
export { TwoLevelCache, type TwoLevelCacheOptions } from './two-level-cache';
export {
  createCache,
  assertCacheConfig,
  CACHE_ADAPTERS,
  type CacheConfig,
  type CreateCacheOptions,
} from './create-cache';
export { CacheModule, CacheLifecycle } from './cache.module';
export { CACHE_REQUESTS_METRIC } from './cache-metrics';
export { type CacheLogger, silentCacheLogger } from './cache-support';
