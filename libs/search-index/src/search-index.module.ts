import {
  Global,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG } from '@mercato/config';
import {
  assertSearchIndexConfig,
  createProductIndex,
  type SearchIndexConfig,
} from './create-product-index';
import { ProductIndex } from './product-index';

/** Initialises the product index with the module (never fails for an away engine) and closes it on shutdown. */
@Injectable()
export class SearchIndexLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly index: ProductIndex) {}

  onModuleInit(): Promise<void> {
    return this.index.init();
  }

  onApplicationShutdown(): Promise<void> {
    return this.index.close();
  }
}

/**
 * Provides the ProductIndex port (the abstract class is the token), adapter chosen by
 * MERCATO_SEARCH: `embedded` (Orama in memory) or `opensearch`. Import once, in the process's
 * root module; readiness registers `ProductIndex.health()` like the other engines.
 */
@Global()
@Module({})
export class SearchIndexModule {
  static forRoot(config: SearchIndexConfig): DynamicModule {
    assertSearchIndexConfig(config);
    return {
      module: SearchIndexModule,
      global: true,
      providers: [
        { provide: ProductIndex, useFactory: () => createProductIndex(config) },
        SearchIndexLifecycle,
      ],
      exports: [ProductIndex],
    };
  }

  /**
   * The same for a feature module, which is declared before the process config exists: the
   * config is read from the host's ConfigModule (APP_CONFIG) when the module is built.
   */
  static forFeature(): DynamicModule {
    return {
      module: SearchIndexModule,
      providers: [
        {
          provide: ProductIndex,
          useFactory: (config: SearchIndexConfig) => {
            assertSearchIndexConfig(config);
            return createProductIndex(config);
          },
          inject: [APP_CONFIG],
        },
        SearchIndexLifecycle,
      ],
      exports: [ProductIndex],
    };
  }
}
