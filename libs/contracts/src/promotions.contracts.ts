import { z } from 'zod';
import { defineEvent, defineRequest, type Contract } from './contract';
import { currencySchema, moneySchema, regionSchema } from './common';

/**
 * Promotions and coupons (issue 4). Amounts are integer minor units of the currency, like Money.
 *
 * Kinds:
 * - `percentage`: `percentOff` is an integer percent (1..100) of the unit price.
 * - `fixed`: `amountOff` per unit, given per currency (`{USD: 500, EUR: 450}`); in a region whose
 *   currency is missing the promotion does not apply.
 * - `buy_x_get_y`: of every `buyQuantity + getQuantity` targeted units in the cart (lines of the
 *   same target count together), the cheapest `getQuantity` get `getPercentOff` off (100 = free).
 *
 * Windows are half-open: active from `startsAt` (inclusive) until `endsAt` (exclusive).
 */
export const PROMOTION_KINDS = ['percentage', 'fixed', 'buy_x_get_y'] as const;
export const promotionKindSchema = z.enum(PROMOTION_KINDS);
export type PromotionKind = z.infer<typeof promotionKindSchema>;

/** `stackable` promotions add up; an `exclusive` one applies alone (the engine picks the better). */
export const PROMOTION_STACKING = ['stackable', 'exclusive'] as const;
export const promotionStackingSchema = z.enum(PROMOTION_STACKING);
export type PromotionStacking = z.infer<typeof promotionStackingSchema>;

export const COUPON_CODE_PATTERN = /^[A-Z0-9-]{3,32}$/;

/** What a promotion applies to; a category matches every product below it too. */
export const promotionTargetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all') }),
  z.object({ type: z.literal('categories'), categoryIds: z.array(z.string().min(1)).min(1) }),
  z.object({ type: z.literal('brands'), brands: z.array(z.string().min(1)).min(1) }),
  z.object({ type: z.literal('skus'), skus: z.array(z.string().min(1)).min(1) }),
]);
export type PromotionTarget = z.infer<typeof promotionTargetSchema>;

const percentOff = z.number().int().min(1).max(100);
const amountOffSchema = z
  .partialRecord(currencySchema, z.number().int().positive())
  .refine((amounts) => Object.keys(amounts).length > 0, {
    message: 'Give the amount off in at least one currency, e.g. {"USD": 500}',
  });
const ruleQuantity = z.number().int().min(1).max(1_000);

const percentageRule = { kind: z.literal('percentage'), percentOff };
const fixedRule = { kind: z.literal('fixed'), amountOff: amountOffSchema };
const buyXGetYRule = {
  kind: z.literal('buy_x_get_y'),
  buyQuantity: ruleQuantity,
  getQuantity: ruleQuantity,
};

const isoInstant = z.iso.datetime({ offset: true });

const couponLimit = z.number().int().min(1);

export const couponInputSchema = z.object({
  code: z.string().regex(COUPON_CODE_PATTERN, 'Use 3 to 32 capital letters, digits or dashes'),
  totalLimit: couponLimit.optional(),
  perCustomerLimit: couponLimit.optional(),
});

const inputCommon = {
  name: z.string().trim().min(1).max(120),
  target: promotionTargetSchema,
  stacking: promotionStackingSchema,
  startsAt: isoInstant.optional(),
  endsAt: isoInstant.optional(),
  /** A coupon-gated promotion applies only while its code is applied to the cart. */
  coupon: couponInputSchema.optional(),
};

/** The admin's input (also usable as the HTTP body schema). */
export const promotionInputSchema = z
  .discriminatedUnion('kind', [
    z.object({ ...inputCommon, ...percentageRule }),
    z.object({ ...inputCommon, ...fixedRule }),
    z.object({
      ...inputCommon,
      ...buyXGetYRule,
      /** Percent off the "get" units; 100 (free) when omitted. */
      getPercentOff: percentOff.optional(),
    }),
  ])
  .superRefine((input, ctx) => {
    if (input.startsAt && input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
    }
  });
export type PromotionInput = z.infer<typeof promotionInputSchema>;

const storedCommon = {
  promotionId: z.string(),
  name: z.string(),
  target: promotionTargetSchema,
  stacking: promotionStackingSchema,
  /** ISO instants in UTC (`toISOString()` form); null = unbounded. */
  startsAt: isoInstant.nullable(),
  endsAt: isoInstant.nullable(),
  coupon: z
    .object({
      code: z.string(),
      totalLimit: z.number().int().positive().nullable(),
      perCustomerLimit: z.number().int().positive().nullable(),
    })
    .nullable(),
  createdBy: z.string(),
  createdAt: isoInstant,
  /** Who changed it last (an update or ending it) and when; null until the first change. */
  updatedBy: z.string().nullable(),
  updatedAt: isoInstant.nullable(),
  /** 1 when created, +1 per change: `If-Match` of an update names it. */
  version: z.number().int().positive(),
};

/** A stored promotion, as the engine reads it. */
export const promotionSchema = z.discriminatedUnion('kind', [
  z.object({ ...storedCommon, ...percentageRule }),
  z.object({ ...storedCommon, ...fixedRule }),
  z.object({ ...storedCommon, ...buyXGetYRule, getPercentOff: percentOff }),
]);
export type Promotion = z.infer<typeof promotionSchema>;

export const promotionListingSchema = z.intersection(
  promotionSchema,
  z.object({
    /** Relative to the time of the listing. */
    status: z.enum(['scheduled', 'active', 'ended']),
    /** Coupon use so far (null for automatic promotions). */
    usage: z
      .object({ used: z.number().int().nonnegative(), remaining: z.number().int().nullable() })
      .nullable(),
  }),
);
export type PromotionListing = z.infer<typeof promotionListingSchema>;

export const CreatePromotion = defineRequest({
  type: 'catalog.promotion.create',
  version: 1,
  owner: 'catalog',
  request: z.intersection(promotionInputSchema, z.object({ createdBy: z.string().min(1) })),
  response: promotionSchema,
});

/**
 * The editable fields of a stored promotion, each optional (a PATCH body). The rules are the
 * create schema's own field schemas; what cannot change is left out: `kind` and the coupon code
 * (create another promotion instead). `null` clears a date (unbounded) or a coupon limit.
 * Discount fields must belong to the stored kind, which only catalog knows: it checks that, and
 * that the dates are consistent once merged with the stored ones.
 */
export const promotionChangesSchema = z
  .strictObject({
    name: inputCommon.name.optional(),
    target: inputCommon.target.optional(),
    stacking: inputCommon.stacking.optional(),
    startsAt: isoInstant.nullable().optional(),
    endsAt: isoInstant.nullable().optional(),
    percentOff: percentOff.optional(),
    amountOff: amountOffSchema.optional(),
    buyQuantity: ruleQuantity.optional(),
    getQuantity: ruleQuantity.optional(),
    getPercentOff: percentOff.optional(),
    coupon: z
      .strictObject({
        totalLimit: couponLimit.nullable().optional(),
        perCustomerLimit: couponLimit.nullable().optional(),
      })
      .optional(),
  })
  .superRefine((changes, ctx) => {
    if (Object.values(changes).every((value) => value === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Give at least one field to change' });
    }
    const { startsAt, endsAt } = changes;
    if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
    }
  });
export type PromotionChanges = z.infer<typeof promotionChangesSchema>;

const promotionIdSchema = z.string().min(1).max(64);

/** One promotion with its status and coupon usage; 404 `PROMOTION_NOT_FOUND` when unknown. */
export const GetPromotion = defineRequest({
  type: 'catalog.promotion.get',
  version: 1,
  owner: 'catalog',
  request: z.object({ promotionId: promotionIdSchema }),
  response: promotionListingSchema,
});

/**
 * Changes the given fields of a promotion that has not ended, with the create rules (and the
 * exclusive-overlap rule) checked on the merged result. `expectedVersion`, when given, must be
 * the stored version (409 `PROMOTION_VERSION_CONFLICT` otherwise); without it the changes are
 * merged into the latest stored version. An ended promotion answers 409 `PROMOTION_ENDED`.
 */
export const UpdatePromotion = defineRequest({
  type: 'catalog.promotion.update',
  version: 1,
  owner: 'catalog',
  request: z.object({
    promotionId: promotionIdSchema,
    changes: promotionChangesSchema,
    expectedVersion: z.number().int().positive().optional(),
    updatedBy: z.string().min(1),
  }),
  response: promotionListingSchema,
});

/**
 * Ends a promotion now: `endsAt` becomes the current time (a coupon stops redeeming too); it
 * stays stored and readable with status `ended`. Ending an ended promotion changes nothing and
 * answers it as it is.
 */
export const EndPromotion = defineRequest({
  type: 'catalog.promotion.end',
  version: 1,
  owner: 'catalog',
  request: z.object({ promotionId: promotionIdSchema, endedBy: z.string().min(1) }),
  response: promotionListingSchema,
});

export const ListPromotions = defineRequest({
  type: 'catalog.promotions.list',
  version: 1,
  owner: 'catalog',
  request: z.object({}),
  response: z.object({ items: z.array(promotionListingSchema) }),
});

/** Published after every change to the promotions; gateways drop cached prices. */
export const PromotionsChanged = defineEvent({
  type: 'catalog.promotions.changed',
  version: 1,
  owner: 'catalog',
  schema: z.object({ epoch: z.number().int().positive() }),
});

const couponUse = {
  code: z.string().min(1),
  customerId: z.string().min(1),
  orderId: z.string().min(1),
};

/**
 * Spends one use of a coupon for an order, exactly: the same order redeeming again answers
 * `redeemed` and counts once. Refusals are typed results, not errors.
 */
export const RedeemCoupon = defineRequest({
  type: 'catalog.coupon.redeem',
  version: 1,
  owner: 'catalog',
  request: z.object(couponUse),
  response: z.object({
    status: z.enum([
      'redeemed',
      'exhausted',
      'customer_limit',
      'expired',
      'not_started',
      'unknown',
    ]),
  }),
});
export type CouponRedemption = z.infer<typeof RedeemCoupon.response>['status'];

/** Gives an order's use back (order cancelled). Idempotent: releasing twice gives back once. */
export const ReleaseCoupon = defineRequest({
  type: 'catalog.coupon.release',
  version: 1,
  owner: 'catalog',
  request: z.object(couponUse),
  response: z.object({ status: z.enum(['released', 'not_redeemed', 'unknown']) }),
});
export type CouponRelease = z.infer<typeof ReleaseCoupon.response>['status'];

export const priceLineSchema = z.object({
  sku: z.string().min(1),
  productId: z.string().min(1),
  brand: z.string(),
  /** Ancestor category ids, department first, ending with the product's own category. */
  categoryPath: z.array(z.string()),
  quantity: z.number().int().min(1),
  unitPrice: moneySchema,
});
export type PriceLine = z.infer<typeof priceLineSchema>;

export const COUPON_STATUSES = [
  'applied',
  'not_applicable',
  'unknown',
  'expired',
  'not_started',
  'exhausted',
  'customer_limit',
] as const;
export const couponStatusSchema = z.enum(COUPON_STATUSES);
export type CouponStatus = z.infer<typeof couponStatusSchema>;

export const appliedPromotionSchema = z.object({
  promotionId: z.string(),
  name: z.string(),
  amount: moneySchema,
});

export const pricedCartSchema = z.object({
  lines: z.array(
    z.object({
      sku: z.string(),
      productId: z.string(),
      quantity: z.number().int().positive(),
      unitPrice: moneySchema,
      listTotal: moneySchema,
      discount: moneySchema,
      lineTotal: moneySchema,
      appliedPromotions: z.array(appliedPromotionSchema),
    }),
  ),
  subtotal: moneySchema,
  discount: moneySchema,
  total: moneySchema,
  coupons: z.array(
    z.object({ code: z.string(), status: couponStatusSchema, promotionId: z.string().nullable() }),
  ),
});
export type PricedCart = z.infer<typeof pricedCartSchema>;

/** Prices cart lines with the active promotions and the applied coupon codes. */
export const PriceCart = defineRequest({
  type: 'catalog.cart.price',
  version: 1,
  owner: 'catalog',
  request: z.object({
    region: regionSchema,
    /** Needed for per-customer coupon limits; guests never hit one. */
    customerId: z.string().min(1).optional(),
    lines: z.array(priceLineSchema).max(500),
    coupons: z.array(z.string()).max(20),
  }),
  response: pricedCartSchema,
});

// --- the priced cart (issue 18) ---------------------------------------------------------------

export const quotedLineSchema = z.object({
  sku: z.string(),
  productId: z.string(),
  variantId: z.string(),
  /** The product's seller (orders show sellers their own lines). */
  sellerId: z.string(),
  title: z.string(),
  attributes: z.record(z.string(), z.string()),
  imageUrl: z.string().nullable(),
  quantity: z.number().int().positive(),
  /** The region's list price of one unit, before any promotion. */
  listPrice: moneySchema,
  /** quantity × listPrice. */
  listTotal: moneySchema,
  /** What promotions (automatic and coupon) take off this line, all units together. */
  discount: moneySchema,
  /** listTotal − discount. */
  lineTotal: moneySchema,
  /** Each promotion in `discount` with its share: the reason a storefront shows. */
  appliedPromotions: z.array(appliedPromotionSchema),
});
export type QuotedLine = z.infer<typeof quotedLineSchema>;

export const cartQuoteSchema = z.object({
  region: regionSchema,
  currency: currencySchema,
  lines: z.array(quotedLineSchema),
  /** SKUs of the request that no product sells (any more), or not in the region's price list. */
  unavailableSkus: z.array(z.string()),
  subtotal: moneySchema,
  discount: moneySchema,
  total: moneySchema,
  coupons: z.array(
    z.object({ code: z.string(), status: couponStatusSchema, promotionId: z.string().nullable() }),
  ),
});
export type CartQuote = z.infer<typeof cartQuoteSchema>;

/**
 * Prices SKUs and quantities for a region: catalog resolves each SKU to its product and variant,
 * takes the region's list price and runs the same promotions engine as product detail and
 * `PriceCart` (automatic promotions and the given coupon codes). Unknown SKUs, and SKUs without
 * a price in the region, are listed in `unavailableSkus` and left out of the lines and totals.
 */
export const QuoteCart = defineRequest({
  type: 'catalog.cart.quote',
  version: 1,
  owner: 'catalog',
  request: z.object({
    region: regionSchema,
    customerId: z.string().min(1).optional(),
    items: z
      .array(z.object({ sku: z.string().min(1).max(128), quantity: z.number().int().min(1) }))
      .max(500),
    coupons: z.array(z.string()).max(20),
  }),
  response: cartQuoteSchema,
});

/** This file's contracts, for ALL_CONTRACTS (topics.ts). */
export const PROMOTIONS_CONTRACTS: readonly Contract[] = [
  CreatePromotion,
  GetPromotion,
  UpdatePromotion,
  EndPromotion,
  ListPromotions,
  PromotionsChanged,
  RedeemCoupon,
  ReleaseCoupon,
  PriceCart,
  QuoteCart,
];
