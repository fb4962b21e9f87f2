import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@mercato/config';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { IdempotencyModule } from './idempotency.module';
import { IdempotencyStore } from './idempotency.store';

describe('IdempotencyModule', () => {
  let dynamo: TestDynamo;
  let app: TestingModule;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    app = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ IDEMPOTENCY_LEASE_SECONDS: '5' }),
        PersistenceModule.forRoot(dynamo.config),
        IdempotencyModule,
      ],
    }).compile();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await dynamo.close();
  });

  it('creates its table and provides a working store', async () => {
    const store = app.get(IdempotencyStore);

    const first = await store.begin('customer-1', 'key-1', 'hash');
    expect(first.kind).toBe('started');
    expect(await store.begin('customer-1', 'key-1', 'hash')).toEqual({ kind: 'in_progress' });
  });
});
