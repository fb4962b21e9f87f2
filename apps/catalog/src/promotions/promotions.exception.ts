export enum PromotionsErrorCode {
  /** A rule the input schema cannot see (an unknown category, a window already over). */
  InvalidPromotion = 'INVALID_PROMOTION',
  CouponCodeTaken = 'COUPON_CODE_TAKEN',
  OverlappingExclusivePromotions = 'OVERLAPPING_EXCLUSIVE_PROMOTIONS',
  /** Another admin change held the promotions write lock for too long; retrying is safe. */
  PromotionsBusy = 'PROMOTIONS_BUSY',
  /** Cart lines priced in another currency than the region's. */
  CurrencyMismatch = 'CURRENCY_MISMATCH',
}

const STATUS: Record<PromotionsErrorCode, number> = {
  [PromotionsErrorCode.InvalidPromotion]: 400,
  [PromotionsErrorCode.CouponCodeTaken]: 409,
  [PromotionsErrorCode.OverlappingExclusivePromotions]: 422,
  [PromotionsErrorCode.PromotionsBusy]: 409,
  [PromotionsErrorCode.CurrencyMismatch]: 400,
};

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A refused promotions command; `status`, `code` and `errors` travel back over the bus and reach
 * the client as problem+json (the field errors of a 400 included).
 */
export class PromotionsException extends Error {
  readonly status: number;

  constructor(
    readonly code: PromotionsErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'PromotionsException';
    this.status = STATUS[code];
  }
}
