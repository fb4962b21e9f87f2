import type { Currency } from '@mercato/contracts';
import type {
  CardBrand,
  LedgerEntry,
  Payment,
  PaymentReceipt,
  PaymentStatus,
} from './payment-provider';

/**
 * One payment as the embedded provider stores it. Card data is the token, brand and last four
 * digits, nothing more: no card number, expiry or CVC ever reaches the provider.
 */
export interface PaymentRecord {
  paymentId: string;
  orderId: string;
  customerId: string;
  token: string;
  brand: CardBrand;
  last4: string;
  currency: Currency;
  /**
   * Minor units authorised, captured so far, refunded so far, and released by a void after
   * captures. Invariants: `captured + released <= authorized`, `refunded <= captured`, and
   * `released > 0` only when `voided`. What is still held is `heldOf(record)`.
   */
  authorized: number;
  captured: number;
  refunded: number;
  released: number;
  /** A void was applied: nothing is held any more and nothing can be captured. */
  voided: boolean;
  createdAt: string;
  expiresAt: string;
  /** Bumped by every change; a write is conditional on the version it read. */
  version: number;
  /** Each applied operation's receipt by its idempotency key, so a retry never applies twice. */
  operations: Record<string, PaymentReceipt>;
  /** The keys of `operations` in the order they were applied (a stored map keeps no order). */
  applied: string[];
}

/** Minor units still held on the card: authorised, not captured, not released by a void. */
export function heldOf(record: PaymentRecord): number {
  return record.voided ? 0 : record.authorized - record.captured;
}

/**
 * The status at `now`: an untouched authorisation past its expiry has lapsed; a payment with
 * captures of which nothing more can be captured (all of it taken, or the rest voided) is captured.
 */
export function statusOf(record: PaymentRecord, now: number): PaymentStatus {
  if (record.captured > 0) {
    return heldOf(record) === 0 ? 'captured' : 'partially_captured';
  }
  if (record.voided) return 'voided';
  return now >= Date.parse(record.expiresAt) ? 'expired' : 'authorized';
}

/** The port's view of a stored payment (no token: callers never need it back). */
export function paymentView(record: PaymentRecord, now: number): Payment {
  const money = (amount: number) => ({ amount, currency: record.currency });
  return {
    paymentId: record.paymentId,
    orderId: record.orderId,
    customerId: record.customerId,
    status: statusOf(record, now),
    brand: record.brand,
    last4: record.last4,
    amount: money(record.authorized),
    captured: money(record.captured),
    refunded: money(record.refunded),
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
  };
}

/** The provider's ledger of a stored payment: each applied operation once, oldest first. */
export function ledgerOf(record: PaymentRecord): LedgerEntry[] {
  return record.applied.map((key) => {
    const { operation, amount, at } = record.operations[key];
    return { operation, amount, reference: key, at };
  });
}
