import { applyCapture, applyRefund, applyVoid, assertPositiveMoney } from './payment-rules';
import { statusOf, type PaymentRecord } from './payment.record';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const usd = (amount: number) => ({ amount, currency: 'USD' as const });

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
  voided: false,
  createdAt: new Date(NOW).toISOString(),
  expiresAt: new Date(NOW + 7 * 86_400_000).toISOString(),
  version: 3,
  operations: {},
  ...overrides,
});

describe('payment rules', () => {
  it('a capture adds to the captured total, bumps the version and keeps its receipt by key', () => {
    const { record, receipt } = applyCapture(payment(), 'k1', usd(400), NOW);

    expect(record).toMatchObject({ captured: 400, version: 4, operations: { k1: receipt } });
    expect(receipt).toEqual({
      paymentId: 'pay_1',
      operation: 'capture',
      amount: usd(400),
      status: 'partially_captured',
      captured: usd(400),
      refunded: usd(0),
      at: '2026-12-07T12:00:00.000Z',
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

  it('a void is refused once anything was captured, and allowed on a lapsed authorisation', () => {
    expect(() => applyVoid(payment({ captured: 1 }), 'k', NOW)).toThrow(
      expect.objectContaining({ code: 'PAYMENT_ALREADY_CAPTURED' }),
    );
    const lapsed = applyVoid(payment(), 'k', NOW + 30 * 86_400_000);
    expect(lapsed.receipt).toMatchObject({ status: 'voided', amount: usd(0) });
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
