import {
  Global,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { assertCacheConfig, createCache, type CacheConfig } from './create-cache';
import { KeyValueCache } from './key-value-cache';

/**
 * Connects the cache on module init (returns even when Redis is away: readiness says so) and
 * closes it on application shutdown, after `beforeApplicationShutdown` hooks (the message bus
 * finishing in-flight handlers) so those handlers can still use it.
 */
@Injectable()
export class CacheLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly cache: KeyValueCache) {}

  onModuleInit(): Promise<void> {
    return this.cache.init();
  }

  onApplicationShutdown(): Promise<void> {
    return this.cache.close();
  }
}

/** Provides the KeyValueCache port (the abstract class is the token), adapter chosen by config. */
@Global()
@Module({})
export class CacheModule {
  static forRoot(config: CacheConfig): DynamicModule {
    assertCacheConfig(config);
    return {
      module: CacheModule,
      global: true,
      providers: [
        { provide: KeyValueCache, useFactory: () => createCache(config) },
        CacheLifecycle,
      ],
      exports: [KeyValueCache],
    };
  }
}
