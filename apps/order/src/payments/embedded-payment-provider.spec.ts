import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
        'released',
        'voided',
        'createdAt',
        'expiresAt',
        'version',
        'operations',
        'applied',
      ].sort(),
    );
    expect(Item).toMatchObject({ token: 'tok_visa', brand: 'visa', last4: '4242' });
    const text = JSON.stringify(Item);
    expect(text).not.toMatch(/cvc|cvv|cardNumber|\bpan\b|expMonth|expYear/i);
    expect(text).not.toMatch(/\d{12,19}/);
  });

  it('reads a payment stored before `released` and `applied` existed as nothing released, its receipts in time order', async () => {
    const provider = new EmbeddedPaymentProvider(repository, clock, CONFIG);
    const paymentId = `pay_legacy_${randomUUID()}`;
    const receipt = (operation: 'capture' | 'refund', amount: number, at: string) => ({
      paymentId,
      operation,
      amount: { amount, currency: 'EUR' },
      status: 'partially_captured',
      captured: { amount: 1_000, currency: 'EUR' },
      refunded: { amount: operation === 'refund' ? 400 : 0, currency: 'EUR' },
      at,
    });
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.of(PAYMENTS_TABLE),
        Item: {
          pk: `payment#${paymentId}`,
          paymentId,
          orderId: 'order-1',
          customerId: 'customer-1',
          token: 'tok_visa',
          brand: 'visa',
          last4: '4242',
          currency: 'EUR',
          authorized: 4_999,
          captured: 1_000,
          refunded: 400,
          voided: false,
          createdAt: new Date(clock.now()).toISOString(),
          expiresAt: new Date(clock.now() + 86_400_000).toISOString(),
          version: 3,
          operations: {
            r1: receipt('refund', 400, '2026-12-07T13:00:00.000Z'),
            c1: receipt('capture', 1_000, '2026-12-07T12:00:00.000Z'),
          },
        },
      }),
    );

    expect((await provider.ledger(paymentId))!.map((entry) => entry.reference)).toEqual([
      'c1',
      'r1',
    ]);
    expect(
      await provider.void({ idempotencyKey: `legacy-void-${paymentId}`, paymentId }),
    ).toMatchObject({ amount: { amount: 3_999, currency: 'EUR' }, status: 'captured' });
    expect(await repository.readPayment(paymentId)).toMatchObject({
      released: 3_999,
      applied: ['c1', 'r1', `legacy-void-${paymentId}`],
    });
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

  describe('order lifecycle operations', () => {
    const DAY_MS = 86_400_000;
    const eur = (amount: number) => ({ amount, currency: 'EUR' as const });
    let provider: EmbeddedPaymentProvider;
    let run: string;
    const key = (label: string) => `${run}:${label}`;

    beforeEach(() => {
      provider = new EmbeddedPaymentProvider(repository, clock, CONFIG);
      run = randomUUID();
    });

    async function authorized(token = 'tok_visa'): Promise<string> {
      const answer = await provider.authorize(authorizeRequest(key(`auth-${token}`), token));
      if (answer.outcome !== 'authorized') throw new Error(`declined: ${answer.reason}`);
      return answer.paymentId;
    }

    it('reauthorize holds what is left for another period, so a capture after the first expiry succeeds', async () => {
      const paymentId = await authorized();
      await provider.capture({ idempotencyKey: key('c1'), paymentId, amount: eur(999) });
      const firstExpiry = (await provider.get(paymentId))!.expiresAt;
      clock.current += 6 * DAY_MS;

      const receipt = await provider.reauthorize({ idempotencyKey: key('re'), paymentId });

      expect(receipt).toEqual({
        paymentId,
        operation: 'reauthorize',
        amount: eur(4_000),
        status: 'partially_captured',
        captured: eur(999),
        refunded: eur(0),
        at: new Date(clock.now()).toISOString(),
        expiresAt: new Date(clock.now() + 7 * DAY_MS).toISOString(),
      });
      expect((await provider.get(paymentId))!.expiresAt).toBe(receipt.expiresAt);
      clock.current = Date.parse(firstExpiry) + DAY_MS;
      expect(
        await provider.capture({ idempotencyKey: key('c2'), paymentId, amount: eur(4_000) }),
      ).toMatchObject({ status: 'captured', captured: eur(4_999), expiresAt: receipt.expiresAt });
    });

    it('re-authorises a lapsed authorisation with nothing captured, which can then be captured', async () => {
      const paymentId = await authorized();
      clock.current += 8 * DAY_MS;
      expect((await provider.get(paymentId))!.status).toBe('expired');

      expect(await provider.reauthorize({ idempotencyKey: key('re'), paymentId })).toMatchObject({
        status: 'authorized',
        amount: eur(4_999),
      });
      expect(
        await provider.capture({ idempotencyKey: key('c'), paymentId, amount: eur(4_999) }),
      ).toMatchObject({ status: 'captured' });
    });

    it('tok_reauth_declined authorises as visa 0341 but its re-authorisation is declined (402), and stays declined for its key', async () => {
      const answer = await provider.authorize(authorizeRequest(key('auth'), 'tok_reauth_declined'));
      expect(answer).toMatchObject({ outcome: 'authorized', brand: 'visa', last4: '0341' });
      const { paymentId, expiresAt } = answer as { paymentId: string; expiresAt: string };

      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(
          provider.reauthorize({ idempotencyKey: key('re'), paymentId }),
        ).rejects.toMatchObject({ code: 'REAUTHORIZATION_DECLINED', status: 402 });
      }
      expect(await provider.get(paymentId)).toMatchObject({ status: 'authorized', expiresAt });
      expect(await provider.ledger(paymentId)).toEqual([]);
    });

    it('refuses to re-authorise a voided or a fully captured payment, or one it does not know', async () => {
      const voided = await authorized();
      await provider.void({ idempotencyKey: key('v'), paymentId: voided });
      const captured = await authorized('tok_mastercard');
      await provider.capture({
        idempotencyKey: key('c'),
        paymentId: captured,
        amount: eur(4_999),
      });

      await expect(
        provider.reauthorize({ idempotencyKey: key('re-v'), paymentId: voided }),
      ).rejects.toMatchObject({ code: 'PAYMENT_VOIDED', status: 409 });
      await expect(
        provider.reauthorize({ idempotencyKey: key('re-c'), paymentId: captured }),
      ).rejects.toMatchObject({ code: 'NOTHING_TO_REAUTHORIZE', status: 409 });
      await expect(
        provider.reauthorize({ idempotencyKey: key('re-u'), paymentId: 'pay_unknown' }),
      ).rejects.toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
    });

    it('refuses a re-authorisation key used before with another payment or for another operation', async () => {
      const paymentId = await authorized();
      const other = await authorized('tok_mastercard');
      await provider.reauthorize({ idempotencyKey: key('re'), paymentId });

      for (const repeat of [
        () => provider.reauthorize({ idempotencyKey: key('re'), paymentId: other }),
        () => provider.void({ idempotencyKey: key('re'), paymentId }),
      ]) {
        await expect(repeat()).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      }
    });

    it('applies 10 parallel re-authorisations with one key once, and all get its receipt', async () => {
      const paymentId = await authorized();

      const receipts = await Promise.all(
        Array.from({ length: 10 }, () =>
          provider.reauthorize({ idempotencyKey: key('re'), paymentId }),
        ),
      );

      expect(new Set(receipts.map((receipt) => JSON.stringify(receipt))).size).toBe(1);
      expect(await provider.ledger(paymentId)).toEqual([
        { operation: 'reauthorize', amount: eur(4_999), reference: key('re'), at: receipts[0].at },
      ]);
    });

    it('applies 10 parallel voids after a partial capture with one key once: the remainder is released once', async () => {
      const paymentId = await authorized();
      await provider.capture({ idempotencyKey: key('c'), paymentId, amount: eur(1_999) });

      const receipts = await Promise.all(
        Array.from({ length: 10 }, () => provider.void({ idempotencyKey: key('v'), paymentId })),
      );

      expect(new Set(receipts.map((receipt) => JSON.stringify(receipt))).size).toBe(1);
      expect(receipts[0]).toMatchObject({ operation: 'void', amount: eur(3_000) });
      expect((await provider.ledger(paymentId))!.map((entry) => entry.operation)).toEqual([
        'capture',
        'void',
      ]);
    });

    it('a void after a partial capture releases the remainder, blocks captures and allows refunds', async () => {
      const paymentId = await authorized();
      await provider.capture({ idempotencyKey: key('c1'), paymentId, amount: eur(1_999) });

      expect(await provider.void({ idempotencyKey: key('v'), paymentId })).toMatchObject({
        operation: 'void',
        amount: eur(3_000),
        status: 'captured',
        captured: eur(1_999),
        refunded: eur(0),
      });
      await expect(
        provider.capture({ idempotencyKey: key('c2'), paymentId, amount: eur(1) }),
      ).rejects.toMatchObject({ code: 'PAYMENT_VOIDED', status: 409 });
      await expect(
        provider.reauthorize({ idempotencyKey: key('re'), paymentId }),
      ).rejects.toMatchObject({ code: 'PAYMENT_VOIDED' });
      expect(
        await provider.refund({ idempotencyKey: key('r'), paymentId, amount: eur(1_999) }),
      ).toMatchObject({ status: 'captured', captured: eur(1_999), refunded: eur(1_999) });
      await expect(
        provider.refund({ idempotencyKey: key('r2'), paymentId, amount: eur(1) }),
      ).rejects.toMatchObject({ code: 'REFUND_EXCEEDS_CAPTURED' });
    });

    it('the ledger lists each capture, re-authorisation, refund and void once, oldest first, however often their keys are repeated', async () => {
      const paymentId = await authorized();
      const at = () => new Date(clock.now()).toISOString();
      const steps: [string, () => Promise<unknown>][] = [
        [
          'c1',
          () => provider.capture({ idempotencyKey: key('c1'), paymentId, amount: eur(1_000) }),
        ],
        ['re', () => provider.reauthorize({ idempotencyKey: key('re'), paymentId })],
        ['c2', () => provider.capture({ idempotencyKey: key('c2'), paymentId, amount: eur(999) })],
        ['r', () => provider.refund({ idempotencyKey: key('r'), paymentId, amount: eur(500) })],
        ['v', () => provider.void({ idempotencyKey: key('v'), paymentId })],
      ];
      const times: string[] = [];
      for (const [, step] of steps) {
        clock.current += 1_000;
        times.push(at());
        await step();
      }
      clock.current += 1_000;
      for (const [, step] of steps) await step();
      await Promise.all(steps.map(([, step]) => step()));

      expect(await provider.ledger(paymentId)).toEqual([
        { operation: 'capture', amount: eur(1_000), reference: key('c1'), at: times[0] },
        { operation: 'reauthorize', amount: eur(3_999), reference: key('re'), at: times[1] },
        { operation: 'capture', amount: eur(999), reference: key('c2'), at: times[2] },
        { operation: 'refund', amount: eur(500), reference: key('r'), at: times[3] },
        { operation: 'void', amount: eur(3_000), reference: key('v'), at: times[4] },
      ]);
    });

    it('has no ledger for a payment it does not know, and an empty one for an untouched authorisation', async () => {
      const paymentId = await authorized();

      expect(await provider.ledger('pay_unknown')).toBeUndefined();
      expect(await provider.ledger(paymentId)).toEqual([]);
    });
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
