import { randomUUID } from 'node:crypto';
import type { Money } from '@mercato/contracts';

/*
 * The port lives in the order app (apps/order/src/payments/payment-provider.ts), and a library
 * never imports an app, so the suite states the shape it drives. An adapter's spec passing its
 * provider here is what checks, at compile time, that the port still has this shape.
 */
interface AuthorizeRequest {
  idempotencyKey: string;
  token: string;
  amount: Money;
  orderId: string;
  customerId: string;
}
type AuthorizeAnswer =
  | {
      outcome: 'authorized';
      paymentId: string;
      status: string;
      brand: string;
      last4: string;
      amount: Money;
      expiresAt: string;
    }
  | { outcome: 'declined'; code: string; reason: string };
interface Receipt {
  paymentId: string;
  operation: string;
  amount: Money;
  status: string;
  captured: Money;
  refunded: Money;
  at: string;
}
interface PaymentState {
  paymentId: string;
  orderId: string;
  customerId: string;
  status: string;
  brand: string;
  last4: string;
  amount: Money;
  captured: Money;
  refunded: Money;
  createdAt: string;
  expiresAt: string;
}

/** The `PaymentProvider` port as this suite drives it. */
export interface PaymentProviderUnderContract {
  authorize(request: AuthorizeRequest): Promise<AuthorizeAnswer>;
  capture(request: { idempotencyKey: string; paymentId: string; amount: Money }): Promise<Receipt>;
  void(request: { idempotencyKey: string; paymentId: string }): Promise<Receipt>;
  refund(request: { idempotencyKey: string; paymentId: string; amount: Money }): Promise<Receipt>;
  get(paymentId: string): Promise<PaymentState | undefined>;
}

export interface PaymentProviderContractOptions {
  /** Days an authorisation holds (the provider's setting). */
  authorizationDays: number;
  /** The delay `tok_slow` is set to (ms). */
  slowMs: number;
  /** The waits the provider made so far (ms): shows `tok_slow` waited without the test sleeping. */
  waits: () => readonly number[];
  /** Moves the provider's clock forward (for expiry). */
  advanceClock: (ms: number) => void;
}

const DAY_MS = 86_400_000;
const usd = (amount: number): Money => ({ amount, currency: 'USD' });

/**
 * The behaviour every `PaymentProvider` adapter keeps (see the port's class comment and
 * docs/payments.md): the test tokens, idempotency by key (also under concurrency), and the
 * limits of capture, void and refund. `makeProvider` returns a fresh provider per test.
 */
export function paymentProviderContract(
  name: string,
  makeProvider: () => Promise<PaymentProviderUnderContract>,
  options: PaymentProviderContractOptions,
): void {
  describe(`PaymentProvider contract: ${name}`, () => {
    let provider: PaymentProviderUnderContract;
    let run: string;
    const key = (label: string): string => `${run}:${label}`;
    const request = (label: string, overrides: Partial<AuthorizeRequest> = {}) => ({
      idempotencyKey: key(label),
      token: 'tok_visa',
      amount: usd(10_000),
      orderId: `order-${run}`,
      customerId: `customer-${run}`,
      ...overrides,
    });

    /** An authorisation of `amount` with tok_visa; fails the test when it is declined. */
    async function authorized(amount = 10_000, currency: Money['currency'] = 'USD') {
      const answer = await provider.authorize(
        request(`auth-${randomUUID()}`, { amount: { amount, currency } }),
      );
      if (answer.outcome !== 'authorized') throw new Error(`declined: ${answer.reason}`);
      return answer;
    }

    beforeEach(async () => {
      provider = await makeProvider();
      run = randomUUID();
    });

    describe('test tokens', () => {
      it('tok_visa authorises the amount as visa 4242, held for the configured days', async () => {
        const answer = await provider.authorize(request('visa'));

        expect(answer).toEqual({
          outcome: 'authorized',
          paymentId: expect.any(String),
          status: 'authorized',
          brand: 'visa',
          last4: '4242',
          amount: usd(10_000),
          expiresAt: expect.any(String),
        });
        const payment = await provider.get((answer as { paymentId: string }).paymentId);
        expect(payment).toMatchObject({
          orderId: `order-${run}`,
          customerId: `customer-${run}`,
          status: 'authorized',
          captured: usd(0),
          refunded: usd(0),
        });
        expect(Date.parse(payment!.expiresAt) - Date.parse(payment!.createdAt)).toBe(
          options.authorizationDays * DAY_MS,
        );
      });

      it('tok_mastercard authorises as mastercard 4444', async () => {
        const answer = await provider.authorize(request('mc', { token: 'tok_mastercard' }));

        expect(answer).toMatchObject({ outcome: 'authorized', brand: 'mastercard', last4: '4444' });
      });

      it.each([
        ['tok_declined', 'declined'],
        ['tok_fraud', 'fraud_suspected'],
        ['tok_unheard_of', 'unknown_token'],
      ])('%s is declined as %s, with a reason', async (token, code) => {
        const answer = await provider.authorize(request(token, { token }));

        expect(answer).toEqual({ outcome: 'declined', code, reason: expect.any(String) });
        expect((answer as { reason: string }).reason.length).toBeGreaterThan(0);
      });

      it('tok_slow authorises as visa 4242 after the configured delay', async () => {
        const before = options.waits().length;

        const answer = await provider.authorize(request('slow', { token: 'tok_slow' }));

        expect(answer).toMatchObject({ outcome: 'authorized', brand: 'visa', last4: '4242' });
        expect(options.waits().slice(before)).toEqual([options.slowMs]);
      });

      it('does not wait for any other token', async () => {
        const before = options.waits().length;
        await provider.authorize(request('visa'));
        await provider.authorize(request('declined', { token: 'tok_declined' }));

        expect(options.waits().length).toBe(before);
      });
    });

    describe('idempotency by key', () => {
      it('answers a repeated authorisation with the first answer and no second payment', async () => {
        const first = await provider.authorize(request('same'));
        const second = await provider.authorize(request('same'));

        expect(second).toEqual(first);
      });

      it('answers a repeated decline with the same decline', async () => {
        const first = await provider.authorize(request('no', { token: 'tok_declined' }));

        expect(await provider.authorize(request('no', { token: 'tok_declined' }))).toEqual(first);
      });

      it('refuses a key reused with other arguments, and the first payment is unchanged', async () => {
        const first = await provider.authorize(request('reuse'));

        await expect(
          provider.authorize(request('reuse', { amount: usd(10_001) })),
        ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
        await expect(
          provider.authorize(request('reuse', { token: 'tok_mastercard' })),
        ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
        expect(await provider.authorize(request('reuse'))).toEqual(first);
      });

      it('refuses a key reused for another operation', async () => {
        const payment = await authorized();
        await provider.capture({
          idempotencyKey: key('op'),
          paymentId: payment.paymentId,
          amount: usd(100),
        });

        await expect(
          provider.refund({
            idempotencyKey: key('op'),
            paymentId: payment.paymentId,
            amount: usd(100),
          }),
        ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      });

      it('makes one authorisation of 20 concurrent calls with one key, all answered alike', async () => {
        const answers = await Promise.all(
          Array.from({ length: 20 }, () => provider.authorize(request('burst'))),
        );

        const ids = new Set(answers.map((answer) => (answer as { paymentId: string }).paymentId));
        expect(ids.size).toBe(1);
        for (const answer of answers) expect(answer).toEqual(answers[0]);
        expect(answers[0]).toMatchObject({ outcome: 'authorized' });
      });

      it('captures once for 20 concurrent captures with one key', async () => {
        const payment = await authorized(10_000);
        const capture = () =>
          provider.capture({
            idempotencyKey: key('cap'),
            paymentId: payment.paymentId,
            amount: usd(2_500),
          });

        const receipts = await Promise.all(Array.from({ length: 20 }, capture));

        for (const receipt of receipts) expect(receipt).toEqual(receipts[0]);
        expect((await provider.get(payment.paymentId))!.captured).toEqual(usd(2_500));
      });

      it('answers a repeated capture, refund and void with their first receipts', async () => {
        const captured = await authorized();
        const capture = {
          idempotencyKey: key('c'),
          paymentId: captured.paymentId,
          amount: usd(4_000),
        };
        const refund = {
          idempotencyKey: key('r'),
          paymentId: captured.paymentId,
          amount: usd(1_000),
        };
        const firstCapture = await provider.capture(capture);
        const firstRefund = await provider.refund(refund);
        const voidable = await authorized();
        const voidRequest = { idempotencyKey: key('v'), paymentId: voidable.paymentId };
        const firstVoid = await provider.void(voidRequest);

        expect(await provider.capture(capture)).toEqual(firstCapture);
        expect(await provider.refund(refund)).toEqual(firstRefund);
        expect(await provider.void(voidRequest)).toEqual(firstVoid);
        expect(await provider.get(captured.paymentId)).toMatchObject({
          captured: usd(4_000),
          refunded: usd(1_000),
        });
      });

      it('answers a repeated refused operation with the same refusal', async () => {
        const payment = await authorized(1_000);
        const tooMuch = {
          idempotencyKey: key('over'),
          paymentId: payment.paymentId,
          amount: usd(1_001),
        };

        await expect(provider.capture(tooMuch)).rejects.toMatchObject({
          code: 'CAPTURE_EXCEEDS_AUTHORIZED',
        });
        await expect(provider.capture(tooMuch)).rejects.toMatchObject({
          code: 'CAPTURE_EXCEEDS_AUTHORIZED',
        });
      });
    });

    describe('capture', () => {
      it('takes partial captures until they add up to the authorised amount', async () => {
        const payment = await authorized(10_000);
        const capture = (label: string, amount: number) =>
          provider.capture({
            idempotencyKey: key(label),
            paymentId: payment.paymentId,
            amount: usd(amount),
          });

        expect(await capture('s1', 3_000)).toMatchObject({
          operation: 'capture',
          amount: usd(3_000),
          status: 'partially_captured',
          captured: usd(3_000),
        });
        expect(await capture('s2', 2_500)).toMatchObject({ captured: usd(5_500) });
        expect(await capture('s3', 4_500)).toMatchObject({
          status: 'captured',
          captured: usd(10_000),
        });
        await expect(capture('s4', 1)).rejects.toMatchObject({
          code: 'CAPTURE_EXCEEDS_AUTHORIZED',
        });
        expect(await provider.get(payment.paymentId)).toMatchObject({
          status: 'captured',
          captured: usd(10_000),
        });
      });

      it('never captures more than authorised when captures with different keys race', async () => {
        const payment = await authorized(1_000);

        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            provider.capture({
              idempotencyKey: key(`race-${i}`),
              paymentId: payment.paymentId,
              amount: usd(300),
            }),
          ),
        );

        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
        for (const result of results) {
          if (result.status === 'rejected') {
            expect(result.reason).toMatchObject({ code: 'CAPTURE_EXCEEDS_AUTHORIZED' });
          }
        }
        expect((await provider.get(payment.paymentId))!.captured).toEqual(usd(900));
      });

      it('refuses a capture above the authorised amount and captures nothing', async () => {
        const payment = await authorized(1_000);

        await expect(
          provider.capture({
            idempotencyKey: key('c'),
            paymentId: payment.paymentId,
            amount: usd(1_001),
          }),
        ).rejects.toMatchObject({ code: 'CAPTURE_EXCEEDS_AUTHORIZED', status: 422 });
        expect(await provider.get(payment.paymentId)).toMatchObject({
          status: 'authorized',
          captured: usd(0),
        });
      });

      it('refuses another currency, an amount that is not a positive integer, an unknown payment', async () => {
        const payment = await authorized(1_000);
        const capture = (label: string, paymentId: string, amount: Money) =>
          provider.capture({ idempotencyKey: key(label), paymentId, amount });

        await expect(
          capture('eur', payment.paymentId, { amount: 100, currency: 'EUR' }),
        ).rejects.toMatchObject({
          code: 'PAYMENT_CURRENCY_MISMATCH',
        });
        for (const [label, amount] of [
          ['zero', 0],
          ['negative', -5],
          ['fraction', 1.5],
        ] as const) {
          await expect(capture(label, payment.paymentId, usd(amount))).rejects.toMatchObject({
            code: 'INVALID_PAYMENT_AMOUNT',
            status: 400,
          });
        }
        await expect(capture('nobody', 'pay_unknown', usd(100))).rejects.toMatchObject({
          code: 'PAYMENT_NOT_FOUND',
          status: 404,
        });
      });

      it('refuses a capture once the authorisation expired, which then reads as expired', async () => {
        const payment = await authorized(1_000);
        options.advanceClock(options.authorizationDays * DAY_MS);

        await expect(
          provider.capture({
            idempotencyKey: key('late'),
            paymentId: payment.paymentId,
            amount: usd(100),
          }),
        ).rejects.toMatchObject({ code: 'AUTHORIZATION_EXPIRED' });
        expect((await provider.get(payment.paymentId))!.status).toBe('expired');
      });

      it('keeps amounts in the authorised currency, in its minor units (JPY has none)', async () => {
        const payment = await authorized(1_500, 'JPY');

        expect(
          await provider.capture({
            idempotencyKey: key('yen'),
            paymentId: payment.paymentId,
            amount: { amount: 1_500, currency: 'JPY' },
          }),
        ).toMatchObject({ status: 'captured', captured: { amount: 1_500, currency: 'JPY' } });
      });
    });

    describe('void', () => {
      it('voids an uncaptured authorisation; nothing can be captured or refunded after', async () => {
        const payment = await authorized(1_000);

        expect(
          await provider.void({ idempotencyKey: key('v'), paymentId: payment.paymentId }),
        ).toMatchObject({ operation: 'void', status: 'voided', amount: usd(0), captured: usd(0) });
        expect((await provider.get(payment.paymentId))!.status).toBe('voided');
        await expect(
          provider.capture({
            idempotencyKey: key('c'),
            paymentId: payment.paymentId,
            amount: usd(100),
          }),
        ).rejects.toMatchObject({ code: 'PAYMENT_VOIDED', status: 409 });
        await expect(
          provider.refund({
            idempotencyKey: key('r'),
            paymentId: payment.paymentId,
            amount: usd(100),
          }),
        ).rejects.toMatchObject({ code: 'PAYMENT_VOIDED' });
        await expect(
          provider.void({ idempotencyKey: key('v2'), paymentId: payment.paymentId }),
        ).rejects.toMatchObject({ code: 'PAYMENT_VOIDED' });
      });

      it('after captures, releases only the remainder; refuses once everything was captured', async () => {
        const payment = await authorized(1_000);
        await provider.capture({
          idempotencyKey: key('c'),
          paymentId: payment.paymentId,
          amount: usd(100),
        });

        expect(
          await provider.void({ idempotencyKey: key('v'), paymentId: payment.paymentId }),
        ).toMatchObject({ operation: 'void', status: 'captured', amount: usd(900) });
        expect((await provider.get(payment.paymentId))!).toMatchObject({
          status: 'captured',
          captured: usd(100),
        });

        const full = await authorized(1_000);
        await provider.capture({
          idempotencyKey: key('c-full'),
          paymentId: full.paymentId,
          amount: usd(1_000),
        });
        await expect(
          provider.void({ idempotencyKey: key('v-full'), paymentId: full.paymentId }),
        ).rejects.toMatchObject({ code: 'PAYMENT_ALREADY_CAPTURED', status: 409 });
      });

      it('refuses to void an unknown payment', async () => {
        await expect(
          provider.void({ idempotencyKey: key('v'), paymentId: 'pay_unknown' }),
        ).rejects.toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
      });
    });

    describe('refund', () => {
      it('refunds up to what was captured, in parts, and refuses beyond', async () => {
        const payment = await authorized(10_000);
        await provider.capture({
          idempotencyKey: key('c'),
          paymentId: payment.paymentId,
          amount: usd(6_000),
        });
        const refund = (label: string, amount: number) =>
          provider.refund({
            idempotencyKey: key(label),
            paymentId: payment.paymentId,
            amount: usd(amount),
          });

        expect(await refund('r1', 2_000)).toMatchObject({
          operation: 'refund',
          amount: usd(2_000),
          refunded: usd(2_000),
          captured: usd(6_000),
        });
        expect(await refund('r2', 4_000)).toMatchObject({ refunded: usd(6_000) });
        await expect(refund('r3', 1)).rejects.toMatchObject({
          code: 'REFUND_EXCEEDS_CAPTURED',
          status: 422,
        });
        expect(await provider.get(payment.paymentId)).toMatchObject({
          captured: usd(6_000),
          refunded: usd(6_000),
        });
      });

      it('refuses a refund before anything was captured', async () => {
        const payment = await authorized(1_000);

        await expect(
          provider.refund({
            idempotencyKey: key('r'),
            paymentId: payment.paymentId,
            amount: usd(1),
          }),
        ).rejects.toMatchObject({ code: 'REFUND_EXCEEDS_CAPTURED' });
      });

      it('never refunds more than captured when refunds with different keys race', async () => {
        const payment = await authorized(1_000);
        await provider.capture({
          idempotencyKey: key('c'),
          paymentId: payment.paymentId,
          amount: usd(1_000),
        });

        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            provider.refund({
              idempotencyKey: key(`r-${i}`),
              paymentId: payment.paymentId,
              amount: usd(400),
            }),
          ),
        );

        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
        expect((await provider.get(payment.paymentId))!.refunded).toEqual(usd(800));
      });

      it('refuses a refund in another currency', async () => {
        const payment = await authorized(1_000);
        await provider.capture({
          idempotencyKey: key('c'),
          paymentId: payment.paymentId,
          amount: usd(1_000),
        });

        await expect(
          provider.refund({
            idempotencyKey: key('r'),
            paymentId: payment.paymentId,
            amount: { amount: 100, currency: 'EUR' },
          }),
        ).rejects.toMatchObject({ code: 'PAYMENT_CURRENCY_MISMATCH' });
      });
    });

    describe('get', () => {
      it('answers undefined for a payment it never made', async () => {
        expect(await provider.get(`pay_${randomUUID()}`)).toBeUndefined();
      });

      it('shows the authorised, captured and refunded totals as they stand', async () => {
        const payment = await authorized(5_000);
        await provider.capture({
          idempotencyKey: key('c'),
          paymentId: payment.paymentId,
          amount: usd(5_000),
        });
        await provider.refund({
          idempotencyKey: key('r'),
          paymentId: payment.paymentId,
          amount: usd(1_200),
        });

        expect(await provider.get(payment.paymentId)).toEqual({
          paymentId: payment.paymentId,
          orderId: `order-${run}`,
          customerId: `customer-${run}`,
          status: 'captured',
          brand: 'visa',
          last4: '4242',
          amount: usd(5_000),
          captured: usd(5_000),
          refunded: usd(1_200),
          createdAt: expect.any(String),
          expiresAt: payment.expiresAt,
        });
      });
    });
  });
}
