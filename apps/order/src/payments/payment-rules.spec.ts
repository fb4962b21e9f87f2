import {
  applyCapture,
  applyReauthorize,
  applyRefund,
  applyVoid,
  assertPositiveMoney,
} from './payment-rules';
import { heldOf, ledgerOf, statusOf, type PaymentRecord } from './payment.record';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const DAY_MS = 86_400_000;

const payment = (overrides: Partial<PaymentRecord> = {}): PaymentRecord => ({
  paymentId: 'pay_1',
  orderId: 'order-1',
  customerId: 'customer-1',
  token: 'tok_visa',
  brand: 'visa',
  last4: '4242',
  currency: 'USD',
  authorized: 1_000,
  captured: 0,
  refunded: 0,
  released: 0,
  voided: false,
  createdAt: new Date(NOW).toISOString(),
  expiresAt: new Date(NOW + 7 * 86_400_000).toISOString(),
  version: 3,
  operations: {},
  applied: [],
  ...overrides,
});

describe('payment rules', () => {
  it('a capture adds to the captured total, bumps the version and keeps its receipt by key', () => {
    const { record, receipt } = applyCapture(payment(), 'k1', usd(400), NOW);

    expect(record).toMatchObject({
      captured: 400,
      version: 4,
      operations: { k1: receipt },
      applied: ['k1'],
    });
    expect(receipt).toEqual({
      paymentId: 'pay_1',
      operation: 'capture',
      amount: usd(400),
      status: 'partially_captured',
      captured: usd(400),
      refunded: usd(0),
      at: '2026-12-07T12:00:00.000Z',
      expiresAt: '2026-12-14T12:00:00.000Z',
    });
  });

  it('a capture of exactly what is left completes it; one minor unit more is refused', () => {
    expect(applyCapture(payment({ captured: 600 }), 'k', usd(400), NOW).receipt.status).toBe(
      'captured',
    );
    expect(() => applyCapture(payment({ captured: 600 }), 'k', usd(401), NOW)).toThrow(
      expect.objectContaining({ code: 'CAPTURE_EXCEEDS_AUTHORIZED' }),
    );
  });

  it('an authorisation expires at expiresAt exactly: captures refused, status expired unless captured', () => {
    const expiry = NOW + 7 * 86_400_000;

    expect(statusOf(payment(), expiry - 1)).toBe('authorized');
    expect(statusOf(payment(), expiry)).toBe('expired');
    expect(statusOf(payment({ captured: 100 }), expiry)).toBe('partially_captured');
    expect(() => applyCapture(payment({ captured: 100 }), 'k', usd(1), expiry)).toThrow(
      expect.objectContaining({ code: 'AUTHORIZATION_EXPIRED' }),
    );
  });

  it('a void of an untouched authorisation voids it and moves nothing, also once it lapsed', () => {
    const { record, receipt } = applyVoid(payment(), 'k', NOW);

    expect(record).toMatchObject({ voided: true, released: 0 });
    expect(heldOf(record)).toBe(0);
    expect(receipt).toMatchObject({ operation: 'void', status: 'voided', amount: usd(0) });
    const lapsed = applyVoid(payment(), 'k', NOW + 30 * DAY_MS);
    expect(lapsed.receipt).toMatchObject({ status: 'voided', amount: usd(0) });
  });

  it('a void after a partial capture releases the remainder: captured, no more captures, refunds still', () => {
    const { record, receipt } = applyVoid(payment({ captured: 300 }), 'k', NOW);

    expect(record).toMatchObject({ voided: true, captured: 300, released: 700 });
    expect(heldOf(record)).toBe(0);
    expect(receipt).toMatchObject({
      operation: 'void',
      amount: usd(700),
      status: 'captured',
      captured: usd(300),
    });
    expect(() => applyCapture(record, 'k2', usd(1), NOW)).toThrow(
      expect.objectContaining({ code: 'PAYMENT_VOIDED' }),
    );
    expect(applyRefund(record, 'k3', usd(300), NOW).record.refunded).toBe(300);
    expect(() => applyVoid(record, 'k4', NOW)).toThrow(
      expect.objectContaining({ code: 'PAYMENT_VOIDED' }),
    );
  });

  it('a void of a fully captured payment is refused: there is nothing left to release', () => {
    expect(() => applyVoid(payment({ captured: 1_000 }), 'k', NOW)).toThrow(
      expect.objectContaining({ code: 'PAYMENT_ALREADY_CAPTURED', status: 409 }),
    );
  });

  it('a re-authorisation holds what is left again from now and moves the expiry', () => {
    const later = NOW + 5 * DAY_MS;
    const { record, receipt } = applyReauthorize(
      payment({ captured: 400 }),
      'k',
      later,
      7 * DAY_MS,
    );

    expect(record.expiresAt).toBe(new Date(later + 7 * DAY_MS).toISOString());
    expect(receipt).toEqual({
      paymentId: 'pay_1',
      operation: 'reauthorize',
      amount: usd(600),
      status: 'partially_captured',
      captured: usd(400),
      refunded: usd(0),
      at: new Date(later).toISOString(),
      expiresAt: record.expiresAt,
    });
  });

  it('a lapsed authorisation with nothing captured can be re-authorised, then captured', () => {
    const lapsedAt = NOW + 8 * DAY_MS;
    expect(statusOf(payment(), lapsedAt)).toBe('expired');

    const { record, receipt } = applyReauthorize(payment(), 'k', lapsedAt, 7 * DAY_MS);

    expect(receipt).toMatchObject({ status: 'authorized', amount: usd(1_000) });
    expect(applyCapture(record, 'k2', usd(1_000), lapsedAt).receipt.status).toBe('captured');
  });

  it('a re-authorisation is refused for a voided or fully captured payment, and when the card declines it', () => {
    expect(() => applyReauthorize(payment({ voided: true }), 'k', NOW, DAY_MS)).toThrow(
      expect.objectContaining({ code: 'PAYMENT_VOIDED', status: 409 }),
    );
    expect(() => applyReauthorize(payment({ captured: 1_000 }), 'k', NOW, DAY_MS)).toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_REAUTHORIZE', status: 409 }),
    );
    expect(() =>
      applyReauthorize(payment({ token: 'tok_reauth_declined' }), 'k', NOW, DAY_MS),
    ).toThrow(expect.objectContaining({ code: 'REAUTHORIZATION_DECLINED', status: 402 }));
  });

  it('the ledger lists each applied operation once, in the order applied, by its key', () => {
    let record = payment();
    record = applyCapture(record, 'capture:s1', usd(300), NOW).record;
    record = applyReauthorize(record, 'reauth:1', NOW + 1, DAY_MS).record;
    record = applyRefund(record, 'refund:r1', usd(100), NOW + 2).record;
    record = applyVoid(record, 'void:cancel', NOW + 3).record;

    expect(ledgerOf(record)).toEqual([
      {
        operation: 'capture',
        amount: usd(300),
        reference: 'capture:s1',
        at: new Date(NOW).toISOString(),
      },
      {
        operation: 'reauthorize',
        amount: usd(700),
        reference: 'reauth:1',
        at: new Date(NOW + 1).toISOString(),
      },
      {
        operation: 'refund',
        amount: usd(100),
        reference: 'refund:r1',
        at: new Date(NOW + 2).toISOString(),
      },
      {
        operation: 'void',
        amount: usd(700),
        reference: 'void:cancel',
        at: new Date(NOW + 3).toISOString(),
      },
    ]);
  });

  it('refunds are bounded by what was captured less what was refunded', () => {
    const captured = payment({ captured: 700, refunded: 200 });

    expect(applyRefund(captured, 'k', usd(500), NOW).record.refunded).toBe(700);
    expect(() => applyRefund(captured, 'k', usd(501), NOW)).toThrow(
      expect.objectContaining({ code: 'REFUND_EXCEEDS_CAPTURED' }),
    );
  });

  it('refuses every change of a voided payment (a second void too) with PAYMENT_VOIDED', () => {
    const voided = payment({ voided: true });

    for (const apply of [
      () => applyCapture(voided, 'k', usd(1), NOW),
      () => applyRefund(voided, 'k', usd(1), NOW),
      () => applyVoid(voided, 'k', NOW),
      () => applyReauthorize(voided, 'k', NOW, DAY_MS),
    ]) {
      expect(apply).toThrow(expect.objectContaining({ code: 'PAYMENT_VOIDED' }));
    }
  });

  it('accepts only positive safe integers of a supported currency', () => {
    expect(() => assertPositiveMoney(usd(1), 'amount')).not.toThrow();
    for (const money of [
      usd(0),
      usd(-1),
      usd(0.5),
      usd(Number.MAX_SAFE_INTEGER + 1),
      { amount: 100, currency: 'GBP' },
    ]) {
      expect(() => assertPositiveMoney(money as never, 'amount')).toThrow(
        expect.objectContaining({ code: 'INVALID_PAYMENT_AMOUNT', status: 400 }),
      );
    }
  });
});
