import { ServiceException, type FieldProblem, type ProblemFacts } from '@mercato/messaging';

/** Checkout's refusals (libs/contracts order.contracts.ts lists them for clients). */
export enum CheckoutErrorCode {
  InvalidAddress = 'INVALID_ADDRESS',
  CartEmpty = 'CART_EMPTY',
  /** Lines that cannot be bought now (product gone, no price in the region): `details.items`. */
  CartUnavailableItems = 'CART_UNAVAILABLE_ITEMS',
  CouponInvalid = 'COUPON_INVALID',
  OutOfStock = 'OUT_OF_STOCK',
  PaymentDeclined = 'PAYMENT_DECLINED',
  FraudRejected = 'FRAUD_REJECTED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  /** The key's first request still runs (or its saga is being finished): retry later. */
  IdempotencyInProgress = 'IDEMPOTENCY_IN_PROGRESS',
  OrderNotFound = 'ORDER_NOT_FOUND',
}

const STATUS: Record<CheckoutErrorCode, number> = {
  [CheckoutErrorCode.InvalidAddress]: 400,
  [CheckoutErrorCode.CartEmpty]: 422,
  [CheckoutErrorCode.CartUnavailableItems]: 422,
  [CheckoutErrorCode.CouponInvalid]: 422,
  [CheckoutErrorCode.OutOfStock]: 409,
  [CheckoutErrorCode.PaymentDeclined]: 402,
  [CheckoutErrorCode.FraudRejected]: 422,
  [CheckoutErrorCode.IdempotencyKeyReused]: 422,
  [CheckoutErrorCode.IdempotencyInProgress]: 409,
  [CheckoutErrorCode.OrderNotFound]: 404,
};

export class CheckoutException extends ServiceException<CheckoutErrorCode> {
  constructor(
    code: CheckoutErrorCode,
    message: string,
    options: { errors?: FieldProblem[]; details?: ProblemFacts } = {},
  ) {
    super(STATUS, code, message, options.errors, options.details);
  }
}

/** A refusal as the idempotency record keeps it (the response body), to throw it again. */
export interface StoredRefusal {
  code: CheckoutErrorCode;
  message: string;
  errors?: FieldProblem[];
  details?: ProblemFacts;
}

const CODES = new Set<string>(Object.values(CheckoutErrorCode));

export function refusalBody(error: CheckoutException): StoredRefusal {
  return {
    code: error.code,
    message: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.details ? { details: error.details } : {}),
  };
}

/** The refusal a stored body holds, or undefined when it is not one of ours. */
export function refusalOf(body: unknown): CheckoutException | undefined {
  const stored = body as Partial<StoredRefusal> | null;
  if (!stored || typeof stored.code !== 'string' || !CODES.has(stored.code)) return undefined;
  return new CheckoutException(stored.code, String(stored.message ?? ''), {
    ...(stored.errors ? { errors: stored.errors } : {}),
    ...(stored.details ? { details: stored.details } : {}),
  });
}
