import type { Money } from '@mercato/contracts';

export type CardBrand = 'visa' | 'mastercard';

/**
 * Where a payment stands. `expired` is an authorisation with nothing captured whose hold lapsed
 * (`expiresAt` passed); `captured` is also a payment whose remainder was voided after captures
 * (nothing more can be captured); refunds never change the status (see the `refunded` total).
 */
export type PaymentStatus = 'authorized' | 'partially_captured' | 'captured' | 'voided' | 'expired';

export interface AuthorizeRequest {
  idempotencyKey: string;
  /** A provider's payment token (never a card number). */
  token: string;
  amount: Money;
  orderId: string;
  customerId: string;
}

/** Funds held on the card, to be captured (per shipment) or voided. */
export interface PaymentAuthorization {
  outcome: 'authorized';
  paymentId: string;
  status: 'authorized';
  brand: CardBrand;
  last4: string;
  amount: Money;
  /** When the hold lapses if nothing is captured (ISO 8601). */
  expiresAt: string;
}

/** Why a provider refused to authorise: the HTTP layer answers 402 for each. */
export type PaymentDeclineCode = 'declined' | 'fraud_suspected' | 'unknown_token';

/** A refused authorisation: an expected answer, replayed for its key like a success. */
export interface PaymentDecline {
  outcome: 'declined';
  code: PaymentDeclineCode;
  reason: string;
}

export type AuthorizeResult = PaymentAuthorization | PaymentDecline;

export interface CaptureRequest {
  idempotencyKey: string;
  paymentId: string;
  /** This capture's amount; several captures may follow one authorisation. */
  amount: Money;
}

export interface VoidRequest {
  idempotencyKey: string;
  paymentId: string;
}

export interface RefundRequest {
  idempotencyKey: string;
  paymentId: string;
  amount: Money;
}

export interface ReauthorizeRequest {
  idempotencyKey: string;
  paymentId: string;
}

export type PaymentOperation = 'capture' | 'void' | 'refund' | 'reauthorize';

/** What one capture, void, refund or re-authorisation did, with the payment's totals after it. */
export interface PaymentReceipt {
  paymentId: string;
  operation: PaymentOperation;
  /**
   * The amount this operation moved: captured, refunded, held again by a re-authorisation, or
   * released by a void after captures (zero for a void of an untouched authorisation).
   */
  amount: Money;
  status: PaymentStatus;
  captured: Money;
  refunded: Money;
  /** When it was applied (ISO 8601). */
  at: string;
  /** When what is still held lapses, right after this operation (ISO 8601). */
  expiresAt?: string;
}

/** One operation the provider applied to a payment, as its own books show it. */
export interface LedgerEntry {
  operation: PaymentOperation;
  amount: Money;
  /** The idempotency key the operation was applied under. */
  reference: string;
  /** When it was applied (ISO 8601). */
  at: string;
}

/** A payment as the provider knows it now. */
export interface Payment {
  paymentId: string;
  orderId: string;
  customerId: string;
  status: PaymentStatus;
  brand: CardBrand;
  last4: string;
  /** The authorised amount. */
  amount: Money;
  captured: Money;
  refunded: Money;
  createdAt: string;
  expiresAt: string;
}

/**
 * The payment provider port (an abstract class, so it is also the injection token). Every
 * command is idempotent by its `idempotencyKey`: the same key with the same arguments answers the
 * first result (a decline or a refusal included) and has no second effect, even when the calls
 * race; the same key with other arguments, or for another operation, is refused
 * (`IDEMPOTENCY_KEY_REUSED`). Refused transitions throw a `PaymentException` with their code.
 * Amounts are integers of the currency's minor unit.
 */
export abstract class PaymentProvider {
  /** Holds `amount` on the card behind `token`, or says why not. */
  abstract authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;

  /** Takes part or all of what is still held; captures never add up to more than authorised. */
  abstract capture(request: CaptureRequest): Promise<PaymentReceipt>;

  /**
   * Releases what is still held: the whole authorisation when nothing was captured (status
   * `voided`), else the remainder after the captures (status `captured`; those stay refundable).
   * Refused once everything was captured. No capture follows a void.
   */
  abstract void(request: VoidRequest): Promise<PaymentReceipt>;

  /**
   * Holds what is still held (authorised less captured) again, from now for the provider's
   * authorisation period, so captures stay possible past the first hold's expiry; an expired
   * hold with nothing captured may be re-authorised too. The card may decline it.
   */
  abstract reauthorize(request: ReauthorizeRequest): Promise<PaymentReceipt>;

  /** Gives back part or all of what was captured; refunds never add up to more than captured. */
  abstract refund(request: RefundRequest): Promise<PaymentReceipt>;

  /** The payment now, or undefined when the provider has none with this id. */
  abstract get(paymentId: string): Promise<Payment | undefined>;

  /**
   * Every capture, void, refund and re-authorisation applied to the payment, oldest first, each
   * once however often its key was retried; undefined when the provider has no such payment.
   */
  abstract ledger(paymentId: string): Promise<LedgerEntry[] | undefined>;
}
