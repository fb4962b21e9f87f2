import {
  Global,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
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
}
