import type { Currency } from '@mercato/contracts';
import type { CardBrand, Payment, PaymentReceipt, PaymentStatus } from './payment-provider';

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
  /** Minor units authorised, captured so far and refunded so far. */
  authorized: number;
  captured: number;
  refunded: number;
  voided: boolean;
  createdAt: string;
  expiresAt: string;
  /** Bumped by every change; a write is conditional on the version it read. */
  version: number;
  /** Each applied capture, void or refund by its idempotency key, so a retry never applies twice. */
  operations: Record<string, PaymentReceipt>;
}

/** The status at `now`: an untouched authorisation past its expiry has lapsed. */
export function statusOf(record: PaymentRecord, now: number): PaymentStatus {
  if (record.voided) return 'voided';
  if (record.captured > 0) {
    return record.captured === record.authorized ? 'captured' : 'partially_captured';
  }
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
