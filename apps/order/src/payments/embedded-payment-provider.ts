import { randomUUID } from 'node:crypto';
import { fingerprintOf, IdempotentCalls, type IdempotencyTiming } from './idempotent-calls';
import {
  PaymentProvider,
  type AuthorizeRequest,
  type AuthorizeResult,
  type CaptureRequest,
  type LedgerEntry,
  type Payment,
  type PaymentAuthorization,
  type PaymentDecline,
  type PaymentReceipt,
  type ReauthorizeRequest,
  type RefundRequest,
  type VoidRequest,
} from './payment-provider';
import {
  applyCapture,
  applyReauthorize,
  applyRefund,
  applyVoid,
  assertPositiveMoney,
  type AppliedOperation,
} from './payment-rules';
import { testCardOf } from './payment-tokens';
import { ledgerOf, paymentView, type PaymentRecord } from './payment.record';
import type { PaymentsClock } from './payments.clock';
import type { PaymentsConfig } from './payments.config';
import { PaymentErrorCode, PaymentException } from './payments.exception';
import type { PaymentsRepository } from './payments.repository';

const DAY_MS = 86_400_000;
/** Re-reads of a payment that keeps changing under one operation before giving up (503). */
const MAX_WRITE_ATTEMPTS = 10;
/** Beyond the slowest answer (`tok_slow`), so a live first call never loses its key. */
const LEASE_MARGIN_MS = 30_000;

/**
 * The provider of the embedded store: it behaves like a card processor's test mode (see
 * docs/payments.md for the tokens) and keeps its state in the order app's `payments` table.
 */
export class EmbeddedPaymentProvider extends PaymentProvider {
  private readonly calls: IdempotentCalls;

  constructor(
    private readonly repository: PaymentsRepository,
    private readonly clock: PaymentsClock,
    private readonly config: PaymentsConfig,
    timing: Partial<IdempotencyTiming> = {},
  ) {
    super();
    this.calls = new IdempotentCalls(repository, clock, {
      leaseMs: config.PAYMENT_SLOW_MS + LEASE_MARGIN_MS,
      waitMs: 5_000,
      pollMs: 20,
      ...timing,
    });
  }

  // Every command is async, so a refused argument reaches the caller as a rejection, never a throw.
  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    const { idempotencyKey, token, amount, orderId, customerId } = request;
    assertPresent({ idempotencyKey, token, orderId, customerId });
    assertPositiveMoney(amount, 'amount');
    const fingerprint = fingerprintOf('authorize', [
      token,
      amount.amount,
      amount.currency,
      orderId,
      customerId,
    ]);
    return this.calls.run(idempotencyKey, fingerprint, `pay_${randomUUID()}`, (paymentId) =>
      this.authorizeOnce(paymentId, request),
    );
  }

  async capture(request: CaptureRequest): Promise<PaymentReceipt> {
    const { idempotencyKey: key, paymentId, amount } = request;
    assertPresent({ idempotencyKey: key, paymentId });
    assertPositiveMoney(amount, 'amount');
    const fingerprint = fingerprintOf('capture', [paymentId, amount.amount, amount.currency]);
    return this.calls.run(key, fingerprint, paymentId, () =>
      this.change(paymentId, key, (record, now) => applyCapture(record, key, amount, now)),
    );
  }

  async void(request: VoidRequest): Promise<PaymentReceipt> {
    const { idempotencyKey: key, paymentId } = request;
    assertPresent({ idempotencyKey: key, paymentId });
    const fingerprint = fingerprintOf('void', [paymentId]);
    return this.calls.run(key, fingerprint, paymentId, () =>
      this.change(paymentId, key, (record, now) => applyVoid(record, key, now)),
    );
  }

  async refund(request: RefundRequest): Promise<PaymentReceipt> {
    const { idempotencyKey: key, paymentId, amount } = request;
    assertPresent({ idempotencyKey: key, paymentId });
    assertPositiveMoney(amount, 'amount');
    const fingerprint = fingerprintOf('refund', [paymentId, amount.amount, amount.currency]);
    return this.calls.run(key, fingerprint, paymentId, () =>
      this.change(paymentId, key, (record, now) => applyRefund(record, key, amount, now)),
    );
  }

  async reauthorize(request: ReauthorizeRequest): Promise<PaymentReceipt> {
    const { idempotencyKey: key, paymentId } = request;
    assertPresent({ idempotencyKey: key, paymentId });
    const fingerprint = fingerprintOf('reauthorize', [paymentId]);
    const holdMs = this.config.PAYMENT_AUTHORIZATION_DAYS * DAY_MS;
    return this.calls.run(key, fingerprint, paymentId, () =>
      this.change(paymentId, key, (record, now) => applyReauthorize(record, key, now, holdMs)),
    );
  }

  async get(paymentId: string): Promise<Payment | undefined> {
    const record = await this.repository.readPayment(paymentId);
    return record && paymentView(record, this.clock.now());
  }

  async ledger(paymentId: string): Promise<LedgerEntry[] | undefined> {
    const record = await this.repository.readPayment(paymentId);
    return record && ledgerOf(record);
  }

  private async authorizeOnce(
    paymentId: string,
    request: AuthorizeRequest,
  ): Promise<AuthorizeResult> {
    const card = testCardOf(request.token);
    if (!card) return decline('unknown_token', 'the payment token is unknown to the provider');
    if (card.behaviour === 'slow') await this.clock.sleep(this.config.PAYMENT_SLOW_MS);
    if (card.behaviour === 'decline') {
      return decline('declined', 'the card issuer declined the payment');
    }
    if (card.behaviour === 'fraud') {
      return decline('fraud_suspected', "the provider's risk check blocked the payment");
    }
    const now = this.clock.now();
    const record: PaymentRecord = {
      paymentId,
      orderId: request.orderId,
      customerId: request.customerId,
      token: request.token,
      brand: card.brand,
      last4: card.last4,
      currency: request.amount.currency,
      authorized: request.amount.amount,
      captured: 0,
      refunded: 0,
      released: 0,
      voided: false,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.config.PAYMENT_AUTHORIZATION_DAYS * DAY_MS).toISOString(),
      version: 1,
      operations: {},
      applied: [],
    };
    // A run that took over a lapsed key may find the payment its predecessor already wrote.
    const stored = (await this.repository.createPayment(record))
      ? record
      : await this.repository.readPayment(paymentId);
    if (!stored) throw new Error(`payment ${paymentId} was neither created nor found`);
    return authorization(stored);
  }

  /**
   * Applies a rule to the current payment and writes the result conditionally on the version it
   * read, re-reading when another change won. A receipt already kept under this key means the
   * change was made by an earlier run of the same call: it is answered, not applied again.
   */
  private async change(
    paymentId: string,
    key: string,
    rule: (record: PaymentRecord, now: number) => AppliedOperation,
  ): Promise<PaymentReceipt> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const record = await this.repository.readPayment(paymentId);
      if (!record) {
        throw new PaymentException(PaymentErrorCode.PaymentNotFound, `no payment ${paymentId}`);
      }
      const earlier = record.operations[key];
      if (earlier) return earlier;
      const applied = rule(record, this.clock.now());
      if (await this.repository.replacePayment(applied.record, record.version)) {
        return applied.receipt;
      }
    }
    throw new PaymentException(
      PaymentErrorCode.WriteContention,
      `payment ${paymentId} kept changing; retry with the same idempotency key`,
    );
  }
}

function authorization(record: PaymentRecord): PaymentAuthorization {
  return {
    outcome: 'authorized',
    paymentId: record.paymentId,
    status: 'authorized',
    brand: record.brand,
    last4: record.last4,
    amount: { amount: record.authorized, currency: record.currency },
    expiresAt: record.expiresAt,
  };
}

function decline(code: PaymentDecline['code'], reason: string): PaymentDecline {
  return { outcome: 'declined', code, reason };
}

function assertPresent(fields: Record<string, unknown>): void {
  const missing = Object.entries(fields).filter(
    ([, value]) => typeof value !== 'string' || value.length === 0,
  );
  if (missing.length > 0) {
    throw new PaymentException(
      PaymentErrorCode.InvalidRequest,
      `missing ${missing.map(([name]) => name).join(', ')}`,
      missing.map(([field]) => ({ field, message: 'required' })),
    );
  }
}
