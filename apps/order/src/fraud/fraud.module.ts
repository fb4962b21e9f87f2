import { Module } from '@nestjs/common';
import { KeyValueCache } from '@mercato/cache';
import { PersistenceModule } from '@mercato/persistence';
import { CacheFraudSignals } from './cache-fraud-signals';
import { DynamoFraudDecisions } from './dynamo-fraud-decisions';
import { FraudDecisions } from './fraud-decisions';
import { FraudScreening } from './fraud-screening.service';
import { FraudSignals } from './fraud-signals';
import { FRAUD_TABLES } from './fraud.tables';

/**
 * Fraud screening of checkouts: `FraudScreening` over the shared cache's attempt counters
 * (`FraudSignals`) and the `fraud-decisions` table (`FraudDecisions`), with weights and
 * thresholds from the config (`fraudConfigShape`). Expects the host's ConfigModule,
 * PersistenceModule and CacheModule roots; registers its table.
 */
@Module({
  imports: [PersistenceModule.forFeature(FRAUD_TABLES)],
  providers: [
    {
      provide: FraudSignals,
      useFactory: (cache: KeyValueCache) => new CacheFraudSignals(cache),
      inject: [KeyValueCache],
    },
    { provide: FraudDecisions, useClass: DynamoFraudDecisions },
    FraudScreening,
  ],
  exports: [FraudScreening, FraudDecisions],
})
export class FraudModule {}
