import { Module } from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { APP_CONFIG } from '@mercato/config';
import { PersistenceModule, TableNames } from '@mercato/persistence';
import { DynamoIdempotencyStore } from './dynamo-idempotency.store';
import { idempotencyConfig } from './idempotency.config';
import { IdempotencyStore } from './idempotency.store';
import { IDEMPOTENCY_TABLES } from './idempotency.tables';

const HOUR_MS = 3_600_000;

/**
 * The checkout's `IdempotencyStore` (DynamoDB, the order app's `idempotency` table), with its
 * retention and lease from the config (`idempotencyConfigShape`). Expects the host's ConfigModule
 * and PersistenceModule roots; registers its table so the store creates it.
 */
@Module({
  imports: [PersistenceModule.forFeature(IDEMPOTENCY_TABLES)],
  providers: [
    {
      provide: IdempotencyStore,
      useFactory: (doc: DynamoDBDocumentClient, tables: TableNames, config: object) => {
        const settings = idempotencyConfig(config);
        return new DynamoIdempotencyStore(doc, tables, {
          leaseMs: settings.IDEMPOTENCY_LEASE_SECONDS * 1000,
          retentionMs: settings.IDEMPOTENCY_RETENTION_HOURS * HOUR_MS,
        });
      },
      inject: [DynamoDBDocumentClient, TableNames, APP_CONFIG],
    },
  ],
  exports: [IdempotencyStore],
})
export class IdempotencyModule {}
