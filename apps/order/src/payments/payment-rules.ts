import { CURRENCIES, type Money } from '@mercato/contracts';
import type { PaymentOperation, PaymentReceipt } from './payment-provider';
import { PaymentErrorCode, PaymentException } from './payments.exception';
import { declinesReauthorization } from './payment-tokens';
import { heldOf, statusOf, type PaymentRecord } from './payment.record';

/** A rule's answer: the record to write and the receipt to answer (and keep by key). */
export interface AppliedOperation {
  record: PaymentRecord;
  receipt: PaymentReceipt;
}

/** Refuses an amount that is not a positive whole number of minor units of a known currency. */
export function assertPositiveMoney(money: Money, field: string): void {
  const valid =
    Number.isSafeInteger(money?.amount) &&
    money.amount > 0 &&
    (CURRENCIES as readonly string[]).includes(money?.currency);
  if (!valid) {
    throw new PaymentException(
      PaymentErrorCode.InvalidAmount,
      `${field} must be a positive whole number of minor units in ${CURRENCIES.join(', ')}`,
      [{ field, message: 'a positive integer amount and a supported currency' }],
    );
  }
}

function assertSameCurrency(record: PaymentRecord, money: Money): void {
  if (money.currency !== record.currency) {
    throw new PaymentException(
      PaymentErrorCode.CurrencyMismatch,
      `payment ${record.paymentId} is in ${record.currency}, not ${money.currency}`,
    );
  }
}

function assertNotVoided(record: PaymentRecord): void {
  if (record.voided) {
    throw new PaymentException(
      PaymentErrorCode.PaymentVoided,
      `payment ${record.paymentId} was voided`,
    );
  }
}

function applied(
  record: PaymentRecord,
  key: string,
  operation: PaymentOperation,
  amount: number,
  now: number,
): AppliedOperation {
  const money = (value: number) => ({ amount: value, currency: record.currency });
  const receipt: PaymentReceipt = {
    paymentId: record.paymentId,
    operation,
    amount: money(amount),
    status: statusOf(record, now),
    captured: money(record.captured),
    refunded: money(record.refunded),
    at: new Date(now).toISOString(),
    expiresAt: record.expiresAt,
  };
  return {
    record: {
      ...record,
      version: record.version + 1,
      operations: { ...record.operations, [key]: receipt },
      applied: [...record.applied, key],
    },
    receipt,
  };
}

/**
 * A capture of part or all of what is still held. Several captures (one per shipment) may follow
 * one authorisation until they add up to the authorised amount, while the hold has not lapsed.
 */
export function applyCapture(
  record: PaymentRecord,
  key: string,
  amount: Money,
  now: number,
): AppliedOperation {
  assertNotVoided(record);
  assertSameCurrency(record, amount);
  if (now >= Date.parse(record.expiresAt)) {
    throw new PaymentException(
      PaymentErrorCode.AuthorizationExpired,
      `the authorisation of payment ${record.paymentId} expired at ${record.expiresAt}`,
    );
  }
  const remaining = record.authorized - record.captured;
  if (amount.amount > remaining) {
    throw new PaymentException(
      PaymentErrorCode.CaptureExceedsAuthorized,
      `payment ${record.paymentId} has ${remaining} ${record.currency} minor units left to capture, not ${amount.amount}`,
    );
  }
  const next = { ...record, captured: record.captured + amount.amount };
  return applied(next, key, 'capture', amount.amount, now);
}

/**
 * A void releases what is still held. With nothing captured that is the whole authorisation (the
 * payment is voided; the receipt moves nothing, as a cancelled hold moves no money); after
 * captures it is the remainder (the receipt's amount), and the captures stay refundable. An
 * expired authorisation may still be voided: the answer then records what already happened.
 */
export function applyVoid(record: PaymentRecord, key: string, now: number): AppliedOperation {
  assertNotVoided(record);
  if (record.captured === 0) {
    return applied({ ...record, voided: true }, key, 'void', 0, now);
  }
  const remainder = heldOf(record);
  if (remainder === 0) {
    throw new PaymentException(
      PaymentErrorCode.PaymentAlreadyCaptured,
      `payment ${record.paymentId} was captured in full; refund it instead of voiding`,
    );
  }
  const next = { ...record, voided: true, released: record.released + remainder };
  return applied(next, key, 'void', remainder, now);
}

/**
 * A re-authorisation holds what is still held again for `holdMs` from now, so captures of later
 * shipments outlive the first hold; a lapsed hold with nothing captured may be renewed too. A
 * card that declines leaves the payment as it was.
 */
export function applyReauthorize(
  record: PaymentRecord,
  key: string,
  now: number,
  holdMs: number,
): AppliedOperation {
  assertNotVoided(record);
  const held = heldOf(record);
  if (held === 0) {
    throw new PaymentException(
      PaymentErrorCode.NothingToReauthorize,
      `payment ${record.paymentId} was captured in full; nothing is held to re-authorise`,
    );
  }
  if (declinesReauthorization(record.token)) {
    throw new PaymentException(
      PaymentErrorCode.ReauthorizationDeclined,
      `the card issuer declined holding ${held} ${record.currency} minor units again for payment ${record.paymentId}`,
    );
  }
  const next = { ...record, expiresAt: new Date(now + holdMs).toISOString() };
  return applied(next, key, 'reauthorize', held, now);
}

/** A refund of part or all of what was captured and not yet refunded, also after a void. */
export function applyRefund(
  record: PaymentRecord,
  key: string,
  amount: Money,
  now: number,
): AppliedOperation {
  // Captures made before a void stay refundable; a voided payment without any has nothing to give.
  if (record.captured === 0) assertNotVoided(record);
  assertSameCurrency(record, amount);
  const refundable = record.captured - record.refunded;
  if (amount.amount > refundable) {
    throw new PaymentException(
      PaymentErrorCode.RefundExceedsCaptured,
      `payment ${record.paymentId} has ${refundable} ${record.currency} minor units left to refund, not ${amount.amount}`,
    );
  }
  const next = { ...record, refunded: record.refunded + amount.amount };
  return applied(next, key, 'refund', amount.amount, now);
}
