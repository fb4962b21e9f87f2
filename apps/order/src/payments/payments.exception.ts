import { ServiceException, type FieldProblem } from '@mercato/messaging';

export enum PaymentErrorCode {
  PaymentNotFound = 'PAYMENT_NOT_FOUND',
  /** A missing idempotency key, token, order or customer id. */
  InvalidRequest = 'INVALID_PAYMENT_REQUEST',
  /** Not a positive whole number of minor units, or not a supported currency. */
  InvalidAmount = 'INVALID_PAYMENT_AMOUNT',
  /** A capture or refund in another currency than the authorisation's. */
  CurrencyMismatch = 'PAYMENT_CURRENCY_MISMATCH',
  /** The captures would add up to more than was authorised. */
  CaptureExceedsAuthorized = 'CAPTURE_EXCEEDS_AUTHORIZED',
  /** The refunds would add up to more than was captured. */
  RefundExceedsCaptured = 'REFUND_EXCEEDS_CAPTURED',
  /** The authorisation lapsed before this capture; the funds are no longer held. */
  AuthorizationExpired = 'AUTHORIZATION_EXPIRED',
  /**
   * The payment was voided: nothing more can be captured or re-authorised (nor refunded, when
   * nothing was captured before the void).
   */
  PaymentVoided = 'PAYMENT_VOIDED',
  /** Everything authorised was captured: there is nothing left to void; refund instead. */
  PaymentAlreadyCaptured = 'PAYMENT_ALREADY_CAPTURED',
  /** Everything authorised was captured: nothing is held that could be re-authorised. */
  NothingToReauthorize = 'NOTHING_TO_REAUTHORIZE',
  /** The card issuer declined holding the remainder again; the first hold is unchanged. */
  ReauthorizationDeclined = 'REAUTHORIZATION_DECLINED',
  /** An idempotency key reused with other arguments (or for another operation). */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  /** The first call with this key is still running; retrying later with the key is safe. */
  OperationInProgress = 'PAYMENT_OPERATION_IN_PROGRESS',
  /** The payment kept changing under the operation (retries exhausted); retrying is safe. */
  WriteContention = 'PAYMENT_WRITE_CONTENTION',
}

const STATUS: Record<PaymentErrorCode, number> = {
  [PaymentErrorCode.PaymentNotFound]: 404,
  [PaymentErrorCode.InvalidRequest]: 400,
  [PaymentErrorCode.InvalidAmount]: 400,
  [PaymentErrorCode.CurrencyMismatch]: 400,
  [PaymentErrorCode.CaptureExceedsAuthorized]: 422,
  [PaymentErrorCode.RefundExceedsCaptured]: 422,
  [PaymentErrorCode.AuthorizationExpired]: 409,
  [PaymentErrorCode.PaymentVoided]: 409,
  [PaymentErrorCode.PaymentAlreadyCaptured]: 409,
  [PaymentErrorCode.NothingToReauthorize]: 409,
  [PaymentErrorCode.ReauthorizationDeclined]: 402,
  [PaymentErrorCode.IdempotencyKeyReused]: 422,
  [PaymentErrorCode.OperationInProgress]: 409,
  [PaymentErrorCode.WriteContention]: 503,
};

/** A refused payment operation (a decline is not one: it is a result, `PaymentDecline`). */
export class PaymentException extends ServiceException<PaymentErrorCode> {
  constructor(code: PaymentErrorCode, message: string, errors?: FieldProblem[]) {
    super(STATUS, code, message, errors);
  }
}

const CODES = new Set<string>(Object.values(PaymentErrorCode));

/** True for a code this enum defines (used when a stored outcome is read back). */
export function isPaymentErrorCode(code: string): code is PaymentErrorCode {
  return CODES.has(code);
}
