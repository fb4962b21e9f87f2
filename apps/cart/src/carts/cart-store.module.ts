import { Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { APP_CONFIG } from '@mercato/config';
import { PersistenceModule, TableNames } from '@mercato/persistence';
import { cartStoreSettings } from '../cart.config';
import { CartStore } from './cart-store';
import { CART_TABLES, CARTS_TABLE } from './carts.tables';
import { DynamoCartStore } from './dynamodb-cart-store';
import { RedisCartStore } from './redis-cart-store';

/** Builds the configured adapter, not yet initialised. */
function createCartStore(
  config: object,
  doc: DynamoDBDocumentClient,
  tables: TableNames,
): CartStore {
  const settings = cartStoreSettings(config);
  if (settings.store === 'redis') {
    return new RedisCartStore({
      url: settings.redisUrl,
      keyPrefix: settings.keyPrefix,
      idle: settings.idle,
    });
  }
  return new DynamoCartStore(doc, { table: tables.of(CARTS_TABLE), idle: settings.idle });
}

/** Connects the store on init and closes it on shutdown, so tests and production boot alike. */
@Injectable()
class CartStoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly store: CartStore) {}

  onModuleInit(): Promise<void> {
    return this.store.init();
  }

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}

/**
 * Provides the CartStore port (the abstract class is the token), adapter chosen by config
 * (`cartStoreSettings`). Registers the carts table whichever adapter runs, so every store has
 * the same tables, as the order app does with its table before its code.
 */
@Module({
  imports: [PersistenceModule.forFeature(CART_TABLES)],
  providers: [
    {
      provide: CartStore,
      useFactory: createCartStore,
      inject: [APP_CONFIG, DynamoDBDocumentClient, TableNames],
    },
    CartStoreLifecycle,
  ],
  exports: [CartStore],
})
export class CartStoreModule {}
