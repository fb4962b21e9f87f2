import { DynamicModule, Injectable, Module, type OnModuleInit, type Type } from '@nestjs/common';
import { CacheModule, KeyValueCache } from '@mercato/cache';
import { ConfigModule, type CoreConfig } from '@mercato/config';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { HealthRegistry, OperationsModule } from '@mercato/observability';
import { DynamoLifecycle, PersistenceModule } from '@mercato/persistence';

/** Makes readiness check exactly the engines this process is wired to. */
@Injectable()
class DependencyChecks implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly bus: MessageBus,
    private readonly dynamo: DynamoLifecycle,
    private readonly cache: KeyValueCache,
  ) {}

  onModuleInit(): void {
    this.registry.register('messaging', () => this.bus.health());
    this.registry.register('dynamodb', () => this.dynamo.health());
    this.registry.register('cache', () => this.cache.health());
  }
}

@Module({})
class ServiceRootModule {}

/**
 * The root module of a Mercato process: the shared engines (config, DynamoDB, the bus, the
 * cache, health and metrics) once, plus the feature modules of the apps it hosts — one app when
 * started alone, all seven in the embedded store.
 */
export function serviceRoot(config: CoreConfig, features: Type[]): DynamicModule {
  return {
    module: ServiceRootModule,
    imports: [
      ConfigModule.forRoot(config),
      OperationsModule,
      PersistenceModule.forRoot(config),
      MessagingModule.forRoot(config),
      CacheModule.forRoot(config),
      ...features,
    ],
    providers: [DependencyChecks],
  };
}
