import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@mercato/config';
import { PersistenceModule } from '@mercato/persistence';
import { EmbeddedPaymentProvider } from './embedded-payment-provider';
import { PaymentProvider } from './payment-provider';
import { PaymentsClock } from './payments.clock';
import { paymentsConfig } from './payments.config';
import { PaymentsRepository } from './payments.repository';
import { PAYMENTS_TABLES } from './payments.tables';

/**
 * Payments behind the `PaymentProvider` port, answered by the embedded provider (a real one
 * plugs in here: docs/payments.md). Registers the `payments` table it keeps its state in.
 */
@Module({
  imports: [PersistenceModule.forFeature(PAYMENTS_TABLES)],
  providers: [
    PaymentsClock,
    PaymentsRepository,
    {
      provide: PaymentProvider,
      useFactory: (repository: PaymentsRepository, clock: PaymentsClock, config: object) =>
        new EmbeddedPaymentProvider(repository, clock, paymentsConfig(config)),
      inject: [PaymentsRepository, PaymentsClock, APP_CONFIG],
    },
  ],
  exports: [PaymentProvider],
})
export class PaymentsModule {}
