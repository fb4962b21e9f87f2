import type { CacheLogger } from './cache-support';
import type { KeyValueCache } from './key-value-cache';
import { MemoryCache, type MemoryCacheOptions } from './memory-cache';
import { RedisCache, type RedisCacheOptions } from './redis-cache';

/** The cache settings of the core config (libs/config); CoreConfig satisfies this shape. */
export interface CacheConfig {
  MERCATO_CACHE: string;
  REDIS_URL?: string;
  CACHE_KEY_PREFIX?: string;
}

export const CACHE_ADAPTERS = ['memory', 'redis'] as const;

/** Throws unless the config names a known adapter with what it needs (never a silent fallback). */
export function assertCacheConfig(config: CacheConfig): void {
  if (!(CACHE_ADAPTERS as readonly string[]).includes(config.MERCATO_CACHE)) {
    throw new Error(
      `Unknown MERCATO_CACHE "${config.MERCATO_CACHE}": expected one of ${CACHE_ADAPTERS.join(', ')}`,
    );
  }
  if (config.MERCATO_CACHE === 'redis' && !config.REDIS_URL) {
    throw new Error('MERCATO_CACHE=redis needs REDIS_URL (e.g. "redis://localhost:6379")');
  }
}

export interface CreateCacheOptions {
  logger?: CacheLogger;
  memory?: MemoryCacheOptions;
  redis?: Omit<RedisCacheOptions, 'url' | 'logger'>;
}

/** Builds the configured cache, not yet initialised: for Nest (CacheModule), scripts and tests. */
export function createCache(config: CacheConfig, options: CreateCacheOptions = {}): KeyValueCache {
  assertCacheConfig(config);
  if (config.MERCATO_CACHE === 'redis') {
    return new RedisCache({
      ...options.redis,
      url: config.REDIS_URL!,
      keyPrefix: config.CACHE_KEY_PREFIX,
      logger: options.logger,
    });
  }
  return new MemoryCache(options.memory);
}
