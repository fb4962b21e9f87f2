import { z } from 'zod';
import { defineEvent, defineRequest, type Contract } from './contract';
import { currencySchema, moneySchema, regionSchema } from './common';
import { appliedPromotionSchema, couponStatusSchema } from './promotions.contracts';

/**
 * The cart service's messages (issue 18). The gateway sends every cart route as one request;
 * the cart app keeps the cart, checks availability with inventory and prices it through
 * catalog's `QuoteCart` (the same promotions engine as product detail).
 *
 * Refusals come back as errors with a status and code (the gateway answers problem+json):
 * 404 `CART_NOT_FOUND` (an unknown or expired cart id, or another customer's cart: the same
 * answer), 409 `INSUFFICIENT_STOCK` with `details: { sku, requested, available }`, 422
 * `SKU_NOT_SOLD` (unknown SKU or no price in the region), 422 `QUANTITY_LIMIT` with
 * `details: { sku, limit }` (per-SKU limit, CART_MAX_QUANTITY_PER_SKU), 422 `CART_FULL`,
 * 422 `COUPON_INVALID` with `details: { code, reason }` (reason: a coupon status).
 */

/** Upper bound of any one quantity a client may send; the per-SKU limit is usually lower. */
export const MAX_CART_QUANTITY = 1_000;

export const cartIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'Not a cart id');

/**
 * Who is asking: a signed-in customer (`customerId`), a guest with the cart id their first cart
 * call returned (`cartId`, the `X-Cart-Id` header), or a guest with none yet (a new cart is
 * created). A customer who also sends a guest cart id has that cart merged into theirs.
 */
export const cartCallerSchema = z.object({
  customerId: z.string().min(1).optional(),
  cartId: cartIdSchema.optional(),
});
export type CartCaller = z.infer<typeof cartCallerSchema>;

const cartSkuSchema = z.string().min(1).max(128);

export const cartItemViewSchema = z.object({
  sku: z.string(),
  productId: z.string(),
  variantId: z.string(),
  /** The product's seller: an order made from the cart shows each seller their own lines. */
  sellerId: z.string().optional(),
  title: z.string(),
  attributes: z.record(z.string(), z.string()),
  imageUrl: z.string().nullable(),
  quantity: z.number().int().positive(),
  /** The region's list price of one unit now. */
  unitPrice: moneySchema,
  /** quantity × unitPrice − discount. */
  lineTotal: moneySchema,
  /** What promotions take off this line (all units). */
  discount: moneySchema,
  /** Why: each promotion in `discount` with its share. */
  discounts: z.array(appliedPromotionSchema),
  /** True when `unitPrice` differs from the unit price shown when the line was added. */
  priceChanged: z.boolean(),
  /** The unit price when the line was added (in the cart's region at the time). */
  unitPriceWhenAdded: moneySchema,
});

/** The priced cart: every route answers it (docs/api.md, "Cart"). */
export const cartViewSchema = z.object({
  cartId: cartIdSchema,
  region: regionSchema,
  currency: currencySchema,
  items: z.array(cartItemViewSchema),
  /** Lines kept in the cart that cannot be bought now (product gone, no price in the region). */
  unavailableItems: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })),
  coupons: z.array(
    z.object({ code: z.string(), status: couponStatusSchema, promotionId: z.string().nullable() }),
  ),
  subtotal: moneySchema,
  discount: moneySchema,
  total: moneySchema,
  /** Units in the cart, all lines. */
  itemCount: z.number().int().nonnegative(),
  /** Grows with every change: a client can tell a stale view. */
  version: z.number().int().positive(),
  expiresAt: z.iso.datetime(),
});
export type CartView = z.infer<typeof cartViewSchema>;

const cartCall = { caller: cartCallerSchema, region: regionSchema };

/** The caller's cart, priced now (a region different from the cart's reprices and moves it). */
export const GetCart = defineRequest({
  type: 'cart.cart.get',
  version: 1,
  owner: 'cart',
  request: z.object(cartCall),
  response: cartViewSchema,
});

/** Adds units of a SKU (added to the line's quantity when the SKU is already in the cart). */
export const AddCartItem = defineRequest({
  type: 'cart.item.add',
  version: 1,
  owner: 'cart',
  request: z.object({
    ...cartCall,
    sku: cartSkuSchema,
    quantity: z.number().int().min(1).max(MAX_CART_QUANTITY),
  }),
  response: cartViewSchema,
});

/** Sets a line's quantity; 0 removes the line. 404 `CART_ITEM_NOT_FOUND` when not in the cart. */
export const SetCartItemQuantity = defineRequest({
  type: 'cart.item.set-quantity',
  version: 1,
  owner: 'cart',
  request: z.object({
    ...cartCall,
    sku: cartSkuSchema,
    quantity: z.number().int().min(0).max(MAX_CART_QUANTITY),
  }),
  response: cartViewSchema,
});

/** Removes a line; removing a SKU that is not in the cart changes nothing (and answers the cart). */
export const RemoveCartItem = defineRequest({
  type: 'cart.item.remove',
  version: 1,
  owner: 'cart',
  request: z.object({ ...cartCall, sku: cartSkuSchema }),
  response: cartViewSchema,
});

/** Applies a coupon code (upper-cased); 422 `COUPON_INVALID` naming why when it cannot apply. */
export const ApplyCartCoupon = defineRequest({
  type: 'cart.coupon.apply',
  version: 1,
  owner: 'cart',
  request: z.object({ ...cartCall, code: z.string().min(1).max(64) }),
  response: cartViewSchema,
});

/** Takes a coupon code off the cart (a code not on it changes nothing). */
export const RemoveCartCoupon = defineRequest({
  type: 'cart.coupon.remove',
  version: 1,
  owner: 'cart',
  request: z.object({ ...cartCall, code: z.string().min(1).max(64) }),
  response: cartViewSchema,
});

/**
 * At login: merges the guest cart `cartId` into the customer's cart (quantities added, capped by
 * availability and the per-SKU limit; coupons kept while still valid) and deletes the guest
 * cart. An unknown or expired guest cart merges nothing; merging the same cart twice adds once.
 */
export const MergeGuestCart = defineRequest({
  type: 'cart.cart.merge',
  version: 1,
  owner: 'cart',
  request: z.object({ customerId: z.string().min(1), cartId: cartIdSchema, region: regionSchema }),
  response: cartViewSchema,
});

/**
 * After an order is placed from the customer's cart: takes the ordered quantities (and the
 * redeemed coupons) off the cart, once per order id, so a retry or a relayed duplicate clears
 * nothing more. Lines added after checkout read the cart stay.
 */
export const ClearOrderedItems = defineRequest({
  type: 'cart.cart.clear-ordered',
  version: 1,
  owner: 'cart',
  request: z.object({
    customerId: z.string().min(1),
    orderId: z.string().min(1),
    items: z.array(z.object({ sku: cartSkuSchema, quantity: z.number().int().positive() })),
    coupons: z.array(z.string()),
  }),
  response: z.object({ status: z.enum(['cleared', 'already_cleared', 'no_cart']) }),
});

/**
 * An interaction event for recommendations: units of a SKU went into a cart (added, or merged
 * at login). Keyed by the shopper (`customerId`, else `cartId`). Published after the cart is
 * saved; at-least-once, `eventId` is unique per addition.
 */
export const CartItemAdded = defineEvent({
  type: 'cart.item.added',
  version: 1,
  owner: 'cart',
  schema: z.object({
    eventId: z.string().min(1),
    cartId: z.string().min(1),
    customerId: z.string().min(1).optional(),
    sku: z.string().min(1),
    productId: z.string().min(1),
    quantity: z.number().int().positive(),
    region: regionSchema,
    unitPrice: moneySchema,
    occurredAt: z.iso.datetime(),
  }),
});

/** This file's contracts, for ALL_CONTRACTS (topics.ts). */
export const CART_CONTRACTS: readonly Contract[] = [
  GetCart,
  AddCartItem,
  SetCartItemQuantity,
  RemoveCartItem,
  ApplyCartCoupon,
  RemoveCartCoupon,
  MergeGuestCart,
  ClearOrderedItems,
  CartItemAdded,
];
