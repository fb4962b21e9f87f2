import { ServiceException, type ProblemFacts } from '@mercato/messaging';

export enum CartErrorCode {
  /** An unknown or expired cart id, or another customer's cart: one answer for all three. */
  CartNotFound = 'CART_NOT_FOUND',
  CartItemNotFound = 'CART_ITEM_NOT_FOUND',
  /** details: `{ sku, requested, available }`. */
  InsufficientStock = 'INSUFFICIENT_STOCK',
  /** No product sells the SKU, or it has no price in the region. */
  SkuNotSold = 'SKU_NOT_SOLD',
  /** details: `{ sku, limit }` (CART_MAX_QUANTITY_PER_SKU). */
  QuantityLimit = 'QUANTITY_LIMIT',
  /** The cart holds CART_MAX_LINES lines already. */
  CartFull = 'CART_FULL',
  /** details: `{ code, reason }`, the reason a coupon status. */
  CouponInvalid = 'COUPON_INVALID',
  /** Concurrent changes kept winning over this one; the client may retry. */
  CartBusy = 'CART_BUSY',
}

const STATUS: Record<CartErrorCode, number> = {
  [CartErrorCode.CartNotFound]: 404,
  [CartErrorCode.CartItemNotFound]: 404,
  [CartErrorCode.InsufficientStock]: 409,
  [CartErrorCode.SkuNotSold]: 422,
  [CartErrorCode.QuantityLimit]: 422,
  [CartErrorCode.CartFull]: 422,
  [CartErrorCode.CouponInvalid]: 422,
  [CartErrorCode.CartBusy]: 409,
};

/** An expected refusal of a cart call; status, code and details travel back over the bus. */
export class CartException extends ServiceException<CartErrorCode> {
  constructor(code: CartErrorCode, message: string, details?: ProblemFacts) {
    super(STATUS, code, message, undefined, details);
  }
}
