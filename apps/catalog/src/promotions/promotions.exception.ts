import { ServiceException, type FieldProblem } from '@mercato/messaging';

export enum PromotionsErrorCode {
  /** A rule the input schema cannot see (an unknown category, a window already over). */
  InvalidPromotion = 'INVALID_PROMOTION',
  CouponCodeTaken = 'COUPON_CODE_TAKEN',
  PromotionNotFound = 'PROMOTION_NOT_FOUND',
  /** An ended promotion is kept for the record; it cannot be changed or revived. */
  PromotionEnded = 'PROMOTION_ENDED',
  /** The update named a version (If-Match) that is no longer the stored one. */
  PromotionVersionConflict = 'PROMOTION_VERSION_CONFLICT',
  OverlappingExclusivePromotions = 'OVERLAPPING_EXCLUSIVE_PROMOTIONS',
  /** Another admin change held the promotions write lock for too long; retrying is safe. */
  PromotionsBusy = 'PROMOTIONS_BUSY',
  /** Cart lines priced in another currency than the region's. */
  CurrencyMismatch = 'CURRENCY_MISMATCH',
}

const STATUS: Record<PromotionsErrorCode, number> = {
  [PromotionsErrorCode.InvalidPromotion]: 400,
  [PromotionsErrorCode.CouponCodeTaken]: 409,
  [PromotionsErrorCode.PromotionNotFound]: 404,
  [PromotionsErrorCode.PromotionEnded]: 409,
  [PromotionsErrorCode.PromotionVersionConflict]: 409,
  [PromotionsErrorCode.OverlappingExclusivePromotions]: 422,
  [PromotionsErrorCode.PromotionsBusy]: 409,
  [PromotionsErrorCode.CurrencyMismatch]: 400,
};

/** A refused promotions command; `status`, `code` and `errors` reach the client as problem+json. */
export class PromotionsException extends ServiceException<PromotionsErrorCode> {
  constructor(code: PromotionsErrorCode, message: string, errors?: FieldProblem[]) {
    super(STATUS, code, message, errors);
  }
}

/** One field-level problem of a rejected input. */
export type FieldError = FieldProblem;
