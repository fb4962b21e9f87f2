import { z } from 'zod';
import { defineEvent, defineRequest, type Contract } from './contract';
import { currencySchema, moneySchema, pageLimitSchema, regionSchema } from './common';
import { RETURN_CONDITIONS } from './inventory.contracts';

/**
 * The order service's messages (issue 18): checkout, the customer's, admin's and seller's order
 * reads, the fraud review, and the order history on the bus.
 *
 * Checkout refusals come back as errors with a status and code (the gateway answers
 * problem+json, and the same idempotency key replays them): 400 `INVALID_ADDRESS` (field
 * `errors`), 422 `CART_EMPTY`, 409 `OUT_OF_STOCK` with `details: { items: [{ sku, requested,
 * available }] }` (nothing reserved, nothing charged), 402 `PAYMENT_DECLINED` with `details:
 * { reason }`, 422 `FRAUD_REJECTED`, 422 `COUPON_INVALID` with `details: { code, reason }`,
 * 422 `IDEMPOTENCY_KEY_REUSED` (same key, another body), 409 `IDEMPOTENCY_IN_PROGRESS` (the
 * first request with the key is still running). Reads answer 404 `ORDER_NOT_FOUND` for an
 * unknown order and for anyone else's.
 */

export const shippingAddressSchema = z.object({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  /** State, province or prefecture, where the country has them. */
  state: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1).max(20),
  /** ISO 3166-1 alpha-2, upper case. */
  country: z.string().regex(/^[A-Z]{2}$/, 'Use an ISO 3166-1 alpha-2 country code, e.g. "US"'),
  phone: z.string().trim().max(40).optional(),
});

export const ORDER_STATUS_VALUES = [
  'pending',
  'confirmed',
  'on_hold',
  'fulfilling',
  'picked',
  'packed',
  'partially_shipped',
  'shipped',
  'partially_delivered',
  'delivered',
  'cancelled',
  'returned',
  'refunded',
  'failed',
] as const;
export const orderStatusSchema = z.enum(ORDER_STATUS_VALUES);

export const SHIPMENT_STEPS = ['picked', 'packed', 'shipped', 'delivered'] as const;
export const shipmentStepSchema = z.enum(SHIPMENT_STEPS);
export type ShipmentStep = z.infer<typeof shipmentStepSchema>;

/** `requested`: sent to the warehouse, nothing heard yet. */
export const SHIPMENT_STATUSES = ['requested', ...SHIPMENT_STEPS, 'cancelled'] as const;
export const shipmentStatusSchema = z.enum(SHIPMENT_STATUSES);
export type ShipmentStatus = z.infer<typeof shipmentStatusSchema>;

/**
 * A carrier's tracking number: 6–40 letters, digits and dashes (UPS `1Z…`, USPS, DHL, Japan
 * Post all fit), nothing that could carry markup or a URL.
 */
export const trackingNumberSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{4,38}[A-Za-z0-9]$/, 'Use 6–40 letters, digits and dashes');

export const orderItemViewSchema = z.object({
  sku: z.string(),
  productId: z.string(),
  sellerId: z.string().optional(),
  title: z.string().optional(),
  quantity: z.number().int().positive(),
  unitPrice: moneySchema,
  discount: moneySchema,
  lineTotal: moneySchema,
});

export const orderTotalsViewSchema = z.object({
  subtotal: moneySchema,
  discount: moneySchema,
  shipping: moneySchema,
  tax: moneySchema,
  total: moneySchema,
});

/** One order as its owner sees it (docs/api.md, "Checkout and orders"). */
export const orderViewSchema = z.object({
  orderId: z.string(),
  customerId: z.string(),
  status: orderStatusSchema,
  region: regionSchema,
  currency: currencySchema,
  items: z.array(orderItemViewSchema),
  totals: orderTotalsViewSchema,
  coupons: z.array(z.string()),
  shippingAddress: shippingAddressSchema,
  payment: z.object({
    /**
     * `none`: nothing was ever authorised (a checkout that failed before payment, a free
     * order). Added with issue 18's order routes.
     */
    status: z.enum(['none', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided']),
    brand: z.string().optional(),
    last4: z.string().optional(),
  }),
  /**
   * Empty until fulfilment assigns shipments (on confirmation): one per warehouse the lines
   * ship from, each with its own status.
   */
  shipments: z.array(
    z.object({
      shipmentId: z.string(),
      warehouseId: z.string(),
      status: shipmentStatusSchema,
      items: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })),
      /** Its lines' share of the total: what is captured when it ships. */
      amount: moneySchema.optional(),
      trackingNumber: z.string().optional(),
      shippedAt: z.iso.datetime().optional(),
      deliveredAt: z.iso.datetime().optional(),
    }),
  ),
  /** The order's returns, oldest first (issue 20). */
  returns: z
    .array(
      z.object({
        returnId: z.string(),
        status: z.enum(['requested', 'received', 'refunded']),
        items: z.array(
          z.object({
            sku: z.string(),
            quantity: z.number().int().positive(),
            condition: z.enum(RETURN_CONDITIONS),
          }),
        ),
        refund: moneySchema,
        requestedAt: z.iso.datetime(),
      }),
    )
    .optional(),
  /** Why the order is on hold, cancelled or failed. */
  reason: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type OrderView = z.infer<typeof orderViewSchema>;

export const orderSummaryViewSchema = orderViewSchema
  .pick({
    orderId: true,
    status: true,
    region: true,
    currency: true,
    totals: true,
    createdAt: true,
    updatedAt: true,
  })
  .extend({ itemCount: z.number().int().nonnegative() });

export const orderPageSchema = z.object({
  items: z.array(orderSummaryViewSchema),
  nextCursor: z.string().nullable(),
});

/** One step of an order's audit trail. */
export const orderHistoryEntrySchema = z.object({
  version: z.number().int().positive(),
  type: z.string(),
  occurredAt: z.iso.datetime(),
  actor: z.object({ kind: z.enum(['customer', 'admin', 'system']), id: z.string().optional() }),
  reason: z.string().optional(),
  /** The step's facts (lines placed, payment authorised, reservations, fraud score, …). */
  data: z.record(z.string(), z.unknown()),
});

/** The device and network a checkout came from: fraud scoring reads them. */
export const checkoutOriginSchema = z.object({
  deviceId: z.string().min(1).max(128).optional(),
  ip: z.string().min(1).max(64).optional(),
});

/**
 * Places an order from the customer's cart (docs/api.md, `POST /v1/checkout`). The order app
 * keeps the idempotency record: the same `idempotencyKey` and the same request (`requestHash`
 * of the HTTP body) answers the first outcome again, success or refusal.
 */
export const PlaceOrder = defineRequest({
  type: 'order.checkout.place',
  version: 1,
  owner: 'order',
  request: z.object({
    customerId: z.string().min(1),
    idempotencyKey: z.string().min(1).max(128),
    region: regionSchema,
    paymentToken: z.string().min(1).max(128),
    shippingAddress: shippingAddressSchema,
    /** The card's billing country when the client knows it (fraud: region mismatch). */
    billingCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    origin: checkoutOriginSchema,
    /**
     * When the customer's account was created (fraud: a new account with a large order). Added
     * later, optional: without it the account counts as established.
     */
    customerSince: z.iso.datetime({ offset: true }).optional(),
  }),
  response: orderViewSchema,
});

const orderRef = z.object({ orderId: z.string().min(1).max(128) });
const listQuery = {
  status: orderStatusSchema.optional(),
  limit: pageLimitSchema,
  cursor: z.string().max(1024).optional(),
};

/** A customer's orders, newest first (orders that were placed: never a failed checkout). */
export const ListCustomerOrders = defineRequest({
  type: 'order.orders.list',
  version: 1,
  owner: 'order',
  request: z.object({ customerId: z.string().min(1), ...listQuery }),
  response: orderPageSchema,
});

/** One of the customer's orders; 404 `ORDER_NOT_FOUND` for another customer's. */
export const GetCustomerOrder = defineRequest({
  type: 'order.order.get',
  version: 1,
  owner: 'order',
  request: orderRef.extend({ customerId: z.string().min(1) }),
  response: orderViewSchema,
});

/** The audit trail of one of the customer's orders, oldest first. */
export const GetOrderHistory = defineRequest({
  type: 'order.order.history',
  version: 1,
  owner: 'order',
  request: orderRef.extend({ customerId: z.string().min(1).optional() }),
  response: z.object({ orderId: z.string(), items: z.array(orderHistoryEntrySchema) }),
});

/** Every order, for admins: by status, by customer, newest first. */
export const ListOrdersForAdmin = defineRequest({
  type: 'order.admin.list',
  version: 1,
  owner: 'order',
  request: z.object({ customerId: z.string().min(1).optional(), ...listQuery }),
  response: orderPageSchema,
});

const fraudDecisionViewSchema = z.object({
  outcome: z.enum(['allow', 'review', 'deny']),
  score: z.number(),
  reasons: z.array(z.object({ rule: z.string(), weight: z.number(), detail: z.string() })),
  decidedAt: z.iso.datetime(),
});

/** An order for admins: the view, its timeline, payments and fraud decision. */
export const adminOrderViewSchema = orderViewSchema.extend({
  timeline: z.array(orderHistoryEntrySchema),
  payments: z.array(
    z.object({
      paymentId: z.string(),
      status: z.string(),
      authorized: moneySchema,
      captured: moneySchema,
      refunded: moneySchema,
      /** When an uncaptured hold lapses (issue 20: re-authorised before it does). */
      expiresAt: z.iso.datetime().optional(),
      /**
       * The provider's own ledger of this payment: every capture, void and refund it applied,
       * once per idempotency key (issue 20).
       */
      ledger: z
        .array(
          z.object({
            operation: z.enum(['capture', 'void', 'refund', 'reauthorize']),
            amount: moneySchema,
            reference: z.string(),
            at: z.iso.datetime(),
          }),
        )
        .optional(),
    }),
  ),
  fraud: fraudDecisionViewSchema.nullable(),
  /**
   * What needs a person (issue 20): a shipment not picked in time, a payment operation that
   * failed after its retries. Empty when nothing does.
   */
  attention: z
    .array(
      z.object({
        kind: z.enum(['pick_overdue', 'payment_failed']),
        shipmentId: z.string().optional(),
        since: z.iso.datetime(),
        detail: z.string(),
      }),
    )
    .optional(),
});

export const GetOrderForAdmin = defineRequest({
  type: 'order.admin.get',
  version: 1,
  owner: 'order',
  request: orderRef,
  response: adminOrderViewSchema,
});

/**
 * The fraud review of an `on_hold` order: approving continues the checkout (stock committed,
 * the order confirmed), rejecting releases the stock and voids the payment. 409
 * `ORDER_TRANSITION_REFUSED` when the order is not on hold.
 */
export const ReviewHeldOrder = defineRequest({
  type: 'order.admin.review',
  version: 1,
  owner: 'order',
  request: orderRef.extend({
    decision: z.enum(['approve', 'reject']),
    adminId: z.string().min(1),
    reason: z.string().trim().min(1).max(500).optional(),
  }),
  response: adminOrderViewSchema,
});

/** The orders holding a seller's products, with the seller's lines only. */
export const ListSellerOrders = defineRequest({
  type: 'order.seller.list',
  version: 1,
  owner: 'order',
  request: z.object({ sellerId: z.string().min(1), ...listQuery }),
  response: z.object({
    items: z.array(
      z.object({
        orderId: z.string(),
        status: orderStatusSchema,
        region: regionSchema,
        currency: currencySchema,
        items: z.array(orderItemViewSchema),
        createdAt: z.iso.datetime(),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
});

/**
 * Every event of an order's history, published by the order events' outbox relay after it is
 * stored (at-least-once, in version order per order: key = order id). Consumers dedupe by
 * `orderId` + `version`. `placed`, `confirmed` and `approved` carry what recommendations and analytics
 * need: the customer, region, lines and totals.
 */
export const OrderChanged = defineEvent({
  type: 'order.order.changed',
  version: 1,
  owner: 'order',
  schema: z.object({
    orderId: z.string().min(1),
    version: z.number().int().positive(),
    type: z.string().min(1),
    occurredAt: z.iso.datetime(),
    customerId: z.string().min(1),
    region: regionSchema,
    /** The order's status after this event. */
    status: orderStatusSchema,
    reason: z.string().optional(),
    lines: z
      .array(
        z.object({
          sku: z.string(),
          productId: z.string(),
          sellerId: z.string().optional(),
          quantity: z.number().int().positive(),
          lineTotal: moneySchema,
        }),
      )
      .optional(),
    total: moneySchema.optional(),
  }),
});

/** This file's contracts, for ALL_CONTRACTS (topics.ts). */
export const ORDER_CONTRACTS: readonly Contract[] = [
  PlaceOrder,
  ListCustomerOrders,
  GetCustomerOrder,
  GetOrderHistory,
  ListOrdersForAdmin,
  GetOrderForAdmin,
  ReviewHeldOrder,
  ListSellerOrders,
  OrderChanged,
];
