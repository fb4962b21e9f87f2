import { idempotencyStoreContract, startTestDynamo, type TestDynamo } from '@mercato/testing';
import { DynamoIdempotencyStore } from './dynamo-idempotency.store';
import { IDEMPOTENCY_TABLES } from './idempotency.tables';

const LEASE_MS = 30_000;
const RETENTION_MS = 24 * 3_600_000;

describe('DynamoIdempotencyStore', () => {
  let dynamo: TestDynamo;
  let now = 0;

  beforeAll(async () => {
    dynamo = await startTestDynamo(IDEMPOTENCY_TABLES);
  });

  afterAll(async () => {
    await dynamo.close();
  });

  idempotencyStoreContract(
    'DynamoDB (dynalite)',
    async () => {
      now = Date.UTC(2026, 0, 1);
      return new DynamoIdempotencyStore(dynamo.doc, dynamo.tables, {
        leaseMs: LEASE_MS,
        retentionMs: RETENTION_MS,
        now: () => now,
      });
    },
    { leaseMs: LEASE_MS, retentionMs: RETENTION_MS, advanceClock: (ms) => (now += ms) },
  );
});
