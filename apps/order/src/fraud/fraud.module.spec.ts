import { Test, type TestingModule } from '@nestjs/testing';
import { CacheModule } from '@mercato/cache';
import { ConfigModule } from '@mercato/config';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { FraudDecisions } from './fraud-decisions';
import { FraudScreening } from './fraud-screening.service';
import { FraudModule } from './fraud.module';

describe('FraudModule', () => {
  let dynamo: TestDynamo;
  let app: TestingModule;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    app = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ FRAUD_WEIGHT_BILLING_SHIPPING_MISMATCH: '50' }),
        PersistenceModule.forRoot(dynamo.config),
        CacheModule.forRoot({ MERCATO_CACHE: 'memory' }),
        FraudModule,
      ],
    }).compile();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await dynamo.close();
  });

  it('screens with the configured weights and stores the decision in its own table', async () => {
    const decision = await app.get(FraudScreening).screen({
      orderId: 'o-module',
      customer: { id: 'c-1', createdAt: new Date('2025-01-01'), orderCount: 4 },
      order: { amount: 4_000, currency: 'EUR', region: 'eu' },
      shippingCountry: 'DE',
      billingCountry: 'FR',
      ip: '192.0.2.1',
      at: new Date('2026-06-01T12:00:00Z'),
    });

    expect(decision).toMatchObject({ decision: 'review', score: 50 });
    expect(await app.get(FraudDecisions).find('o-module')).toMatchObject({ score: 50 });
  });
});
