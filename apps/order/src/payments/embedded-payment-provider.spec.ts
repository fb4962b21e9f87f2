import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '@mercato/config';
import { PersistenceModule, TableRegistry } from '@mercato/persistence';
import { paymentProviderContract, startTestDynamo, type TestDynamo } from '@mercato/testing';
import { EmbeddedPaymentProvider } from './embedded-payment-provider';
import { fingerprintOf } from './idempotent-calls';
import { PaymentProvider } from './payment-provider';
import type { PaymentsClock } from './payments.clock';
import { paymentsConfig, type PaymentsConfig } from './payments.config';
import { PaymentsModule } from './payments.module';
import { PaymentsRepository } from './payments.repository';
import { PAYMENTS_TABLE, PAYMENTS_TABLES } from './payments.tables';

const CONFIG: PaymentsConfig = { PAYMENT_SLOW_MS: 10_000, PAYMENT_AUTHORIZATION_DAYS: 7 };

/** A clock the test moves, whose sleeps are recorded and end at once (or when released). */
class TestClock implements PaymentsClock {
  current = Date.parse('2026-12-07T12:00:00.000Z');
  readonly waits: number[] = [];
  /** When set, a sleep ends only when the test resolves this. */
  gate?: Promise<void>;
  private sleepStarted: () => void = () => undefined;

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.waits.push(ms);
    this.sleepStarted();
    await this.gate;
  }

  /** Resolves when the next sleep begins. */
  nextSleep(): Promise<void> {
    return new Promise((resolve) => (this.sleepStarted = resolve));
  }
}

describe('EmbeddedPaymentProvider', () => {
  let dynamo: TestDynamo;
  let repository: PaymentsRepository;
  const clock = new TestClock();

  beforeAll(async () => {
    dynamo = await startTestDynamo(PAYMENTS_TABLES);
    repository = new PaymentsRepository(dynamo.doc, dynamo.tables);
  });

  afterAll(async () => {
    await dynamo.close();
  });

  paymentProviderContract(
    'embedded',
    async () => new EmbeddedPaymentProvider(repository, clock, CONFIG),
    {
      authorizationDays: CONFIG.PAYMENT_AUTHORIZATION_DAYS,
      slowMs: CONFIG.PAYMENT_SLOW_MS,
      waits: () => clock.waits,
      advanceClock: (ms) => (clock.current += ms),
    },
  );

  const authorizeRequest = (key: string, token = 'tok_visa') => ({
    idempotencyKey: key,
    token,
    amount: { amount: 4_999, currency: 'EUR' as const },
    orderId: 'order-1',
    customerId: 'customer-1',
  });

  it('stores only the token, brand and last four digits of the card: no number, expiry or CVC', async () => {
    const provider = new EmbeddedPaymentProvider(repository, clock, CONFIG);
    const answer = await provider.authorize(authorizeRequest(`stored-${Date.now()}`));
    if (answer.outcome !== 'authorized') throw new Error('expected an authorisation');

    const { Item } = await dynamo.doc.send(
      new GetCommand({
        TableName: dynamo.tables.of(PAYMENTS_TABLE),
        Key: { pk: `payment#${answer.paymentId}` },
      }),
    );

    expect(Object.keys(Item!).sort()).toEqual(
      [
        'pk',
        'paymentId',
        'orderId',
        'customerId',
        'token',
        'brand',
        'last4',
        'currency',
        'authorized',
        'captured',
        'refunded',
        'voided',
        'createdAt',
        'expiresAt',
        'version',
        'operations',
      ].sort(),
    );
    expect(Item).toMatchObject({ token: 'tok_visa', brand: 'visa', last4: '4242' });
    const text = JSON.stringify(Item);
    expect(text).not.toMatch(/cvc|cvv|cardNumber|\bpan\b|expMonth|expYear/i);
    expect(text).not.toMatch(/\d{12,19}/);
  });

  it('keeps a digest of the arguments under the key, not the token itself', async () => {
    const provider = new EmbeddedPaymentProvider(repository, clock, CONFIG);
    const key = `digest-${Date.now()}`;
    await provider.authorize(authorizeRequest(key, 'tok_declined'));

    const record = await repository.readKey(key);

    expect(record).toMatchObject({
      state: 'done',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(record)).not.toContain('tok_declined');
  });

  it('keeps tok_slow answering past a client’s patience; a retry meanwhile is told it runs, then gets the answer', async () => {
    const provider = new EmbeddedPaymentProvider(repository, clock, CONFIG, { waitMs: 50 });
    let release!: () => void;
    clock.gate = new Promise<void>((resolve) => (release = resolve));
    const key = `slow-${Date.now()}`;
    try {
      let settled = false;
      const sleeping = clock.nextSleep();
      const first = provider.authorize(authorizeRequest(key, 'tok_slow'));
      void first.finally(() => (settled = true));
      await sleeping; // the first call holds the key and is waiting out its delay

      await expect(provider.authorize(authorizeRequest(key, 'tok_slow'))).rejects.toMatchObject({
        code: 'PAYMENT_OPERATION_IN_PROGRESS',
        status: 409,
      });
      expect(settled).toBe(false);
      expect(clock.waits.at(-1)).toBe(CONFIG.PAYMENT_SLOW_MS);

      release();
      const answer = await first;
      expect(answer).toMatchObject({ outcome: 'authorized', brand: 'visa', last4: '4242' });
      expect(await provider.authorize(authorizeRequest(key, 'tok_slow'))).toEqual(answer);
    } finally {
      release();
      clock.gate = undefined;
    }
  });

  it('lets a repeat take over a key whose first caller died, on the payment id it had chosen', async () => {
    const provider = new EmbeddedPaymentProvider(repository, clock, CONFIG);
    const key = `orphan-${Date.now()}`;
    const request = authorizeRequest(key);
    // What a caller that died right after claiming the key leaves behind.
    await repository.claimKey({
      key,
      fingerprint: fingerprintOf('authorize', ['tok_visa', 4_999, 'EUR', 'order-1', 'customer-1']),
      paymentId: 'pay_orphaned',
      leaseUntil: clock.now() + 1_000,
    });
    clock.current += 1_000;

    const answer = await provider.authorize(request);

    expect(answer).toMatchObject({ outcome: 'authorized', paymentId: 'pay_orphaned' });
    expect(await provider.authorize(request)).toEqual(answer);
  });

  it('refuses a request without an idempotency key or token before touching the table', async () => {
    const provider = new EmbeddedPaymentProvider(repository, clock, CONFIG);

    await expect(provider.authorize({ ...authorizeRequest(''), token: '' })).rejects.toMatchObject({
      code: 'INVALID_PAYMENT_REQUEST',
      status: 400,
      errors: [
        { field: 'idempotencyKey', message: 'required' },
        { field: 'token', message: 'required' },
      ],
    });
  });

  it('defaults tok_slow to 10 s and authorisations to 7 days', () => {
    expect(paymentsConfig({})).toEqual({ PAYMENT_SLOW_MS: 10_000, PAYMENT_AUTHORIZATION_DAYS: 7 });
    expect(paymentsConfig({ PAYMENT_SLOW_MS: '250', PAYMENT_AUTHORIZATION_DAYS: '3' })).toEqual({
      PAYMENT_SLOW_MS: 250,
      PAYMENT_AUTHORIZATION_DAYS: 3,
    });
    expect(() => paymentsConfig({ PAYMENT_AUTHORIZATION_DAYS: '0' })).toThrow();
  });

  it('PaymentsModule provides the embedded provider and registers the payments table', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({}),
        PersistenceModule.forRoot({ ...dynamo.config, CREATE_TABLES: false }),
        PaymentsModule,
      ],
    }).compile();
    try {
      expect(moduleRef.get(PaymentProvider)).toBeInstanceOf(EmbeddedPaymentProvider);
      expect(moduleRef.get(TableRegistry).all()).toContainEqual(PAYMENTS_TABLE);
    } finally {
      await moduleRef.close();
    }
  });
});
