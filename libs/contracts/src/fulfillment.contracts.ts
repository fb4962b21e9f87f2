import { z } from 'zod';
import { defineEvent, defineRequest, type Contract } from './contract';
import { moneySchema, regionSchema, warehouseIdSchema } from './common';
import { RETURN_CONDITIONS } from './inventory.contracts';
import {
  orderStatusSchema,
  orderViewSchema,
  shipmentStatusSchema,
  shipmentStepSchema,
  shippingAddressSchema,
  trackingNumberSchema,
} from './order.contracts';

/**
 * The order lifecycle after confirmation (issue 20): shipments per warehouse, warehouse events,
 * cancellation, returns, and the integration events other services read. Refusals come back as
 * errors with a status and a code (the gateway answers problem+json):
 * - 404 `ORDER_NOT_FOUND` (unknown, or another customer's), 404 `SHIPMENT_NOT_FOUND` (unknown
 *   in the order, or another warehouse's shipment for a key bound to a warehouse), 404
 *   `RETURN_NOT_FOUND`;
 * - 409 `SHIPMENT_CANCELLED` (an event for a cancelled shipment), 409 `ORDER_NOT_FULFILLING`
 *   (no shipments yet: pending, on hold, failed), 409 `ORDER_ALREADY_SHIPPED` (nothing left to
 *   cancel, with `details.shipped`), 409 `ORDER_NOT_CANCELLABLE` (cancelled, failed, refunded),
 *   409 `ORDER_VERSION_CONFLICT` (too many concurrent changes: retry);
 * - 422 `EVENT_ID_REUSED` (an `eventId` seen before with another body), 422
 *   `RETURN_WINDOW_CLOSED`, 422 `RETURN_EXCEEDS_DELIVERED` (with `details.items`), 422
 *   `IDEMPOTENCY_KEY_REUSED`.
 */

/** Who sent a fulfilment command: a partner key (bound to a warehouse or not) or an admin. */
export const fulfillmentCallerSchema = z.object({
  kind: z.enum(['partner', 'admin']),
  id: z.string().min(1),
  /** A key bound to one warehouse may only touch that warehouse's shipments. */
  warehouseId: warehouseIdSchema.optional(),
});
export type FulfillmentCaller = z.infer<typeof fulfillmentCallerSchema>;

export const warehouseEventBodySchema = z.object({
  shipmentId: z.string().min(1).max(128),
  /** The warehouse's own id of this event: a repeat changes nothing and answers the same. */
  eventId: z.string().min(1).max(128),
  type: shipmentStepSchema,
  /** When it happened at the warehouse (ISO 8601 with an offset); not in the future. */
  occurredAt: z.iso.datetime({ offset: true }),
  trackingNumber: trackingNumberSchema.optional(),
});
export type WarehouseEventBody = z.infer<typeof warehouseEventBodySchema>;

export const warehouseEventResultSchema = z.object({
  orderId: z.string(),
  shipmentId: z.string(),
  eventId: z.string(),
  /** The shipment's and the order's status right after the event was first applied. */
  shipmentStatus: shipmentStatusSchema,
  orderStatus: orderStatusSchema,
});
export type WarehouseEventResult = z.infer<typeof warehouseEventResultSchema>;

/** A warehouse event (docs/api.md, `POST /v1/fulfillment/{orderId}/events`). */
export const RecordWarehouseEvent = defineRequest({
  type: 'order.fulfillment.record',
  version: 1,
  owner: 'order',
  request: warehouseEventBodySchema.extend({
    orderId: z.string().min(1).max(128),
    caller: fulfillmentCallerSchema,
  }),
  response: warehouseEventResultSchema,
});

/**
 * Cancels what has not shipped: every shipment not yet shipped (with its lines), or the whole
 * order before fulfilment. A customer names themselves (`customerId`: another customer's order
 * is 404); an admin does not.
 */
export const CancelOrder = defineRequest({
  type: 'order.order.cancel',
  version: 1,
  owner: 'order',
  request: z.object({
    orderId: z.string().min(1).max(128),
    customerId: z.string().min(1).optional(),
    actor: z.object({ kind: z.enum(['customer', 'admin']), id: z.string().min(1) }),
    reason: z.string().trim().min(1).max(500).optional(),
  }),
  response: orderViewSchema,
});

export const RETURN_STATUSES = ['requested', 'received', 'refunded'] as const;
export const returnStatusSchema = z.enum(RETURN_STATUSES);

export const returnItemInputSchema = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(10_000),
  reason: z.string().trim().min(1).max(500),
  condition: z.enum(RETURN_CONDITIONS),
});

export const returnViewSchema = z.object({
  returnId: z.string(),
  orderId: z.string(),
  status: returnStatusSchema,
  items: z.array(
    returnItemInputSchema.extend({
      shipmentId: z.string(),
      warehouseId: warehouseIdSchema,
      /** What these units cost the customer: their share of the line after its discounts. */
      refund: moneySchema,
    }),
  ),
  /** The sum of the items' refunds: what is given back once the return is received. */
  refund: moneySchema,
  requestedAt: z.iso.datetime(),
  receivedAt: z.iso.datetime().optional(),
  refundedAt: z.iso.datetime().optional(),
});
export type ReturnView = z.infer<typeof returnViewSchema>;

/**
 * A customer's return of delivered units (docs/api.md, `POST /v1/orders/{orderId}/returns`).
 * With an `idempotencyKey` the same key and items answer the same return.
 */
export const RequestReturn = defineRequest({
  type: 'order.returns.request',
  version: 1,
  owner: 'order',
  request: z.object({
    orderId: z.string().min(1).max(128),
    customerId: z.string().min(1),
    idempotencyKey: z.string().min(1).max(128).optional(),
    items: z.array(returnItemInputSchema).min(1).max(100),
  }),
  response: returnViewSchema,
});

/**
 * The warehouse (or an admin) confirms the returned units arrived: resellable units go back
 * to the shipment's warehouse, damaged ones are written off, then the refund follows.
 * Receiving twice answers the same.
 */
export const ReceiveReturn = defineRequest({
  type: 'order.returns.receive',
  version: 1,
  owner: 'order',
  request: z.object({
    orderId: z.string().min(1).max(128),
    returnId: z.string().min(1).max(128),
    caller: fulfillmentCallerSchema,
  }),
  response: returnViewSchema,
});

// --- integration events (published through the order events' outbox) -----------------------

const lineRefSchema = z.object({
  sku: z.string(),
  productId: z.string(),
  quantity: z.number().int().positive(),
});

const orderRefFields = {
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  region: regionSchema,
  /** The order's version whose event this message tells (consumers dedupe on it). */
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
};

/** One shipment for one warehouse to pick, pack and ship (key: the warehouse id). */
export const FulfillmentRequested = defineEvent({
  type: 'order.fulfillment.requested',
  version: 1,
  owner: 'order',
  schema: z.object({
    ...orderRefFields,
    shipmentId: z.string().min(1),
    warehouseId: warehouseIdSchema,
    lines: z.array(lineRefSchema.extend({ title: z.string().optional() })).min(1),
    shippingAddress: shippingAddressSchema,
  }),
});

/**
 * An alert: a shipment not picked within ORDER_PICK_TIMEOUT_MINUTES of its request, or a
 * payment operation that failed after its retries. The admin view flags the order as well.
 */
export const OrderNeedsAttention = defineEvent({
  type: 'order.order.attention',
  version: 1,
  owner: 'order',
  schema: z.object({
    ...orderRefFields,
    kind: z.enum(['pick_overdue', 'payment_failed']),
    shipmentId: z.string().optional(),
    detail: z.string(),
  }),
});

/** What one shipment's move tells: the order, the shipment, its lines, the order's status after. */
const shipmentMovedSchema = z.object({
  ...orderRefFields,
  shipmentId: z.string().min(1),
  warehouseId: warehouseIdSchema,
  lines: z.array(lineRefSchema).min(1),
  status: orderStatusSchema,
});

/** A shipment left its warehouse (told once, also when a delivery implied it). */
export const OrderShipped = defineEvent({
  type: 'order.order.shipped',
  version: 1,
  owner: 'order',
  schema: shipmentMovedSchema.extend({ trackingNumber: z.string().optional() }),
});

/** A shipment reached the customer. */
export const OrderDelivered = defineEvent({
  type: 'order.order.delivered',
  version: 1,
  owner: 'order',
  schema: shipmentMovedSchema,
});

export const OrderCancelled = defineEvent({
  type: 'order.order.cancelled',
  version: 1,
  owner: 'order',
  schema: z.object({
    ...orderRefFields,
    /** The lines cancelled now (all of them when `whole`). */
    lines: z.array(lineRefSchema).min(1),
    whole: z.boolean(),
    reason: z.string(),
    status: orderStatusSchema,
  }),
});

export const OrderReturned = defineEvent({
  type: 'order.order.returned',
  version: 1,
  owner: 'order',
  schema: z.object({
    ...orderRefFields,
    returnId: z.string().min(1),
    items: z
      .array(
        lineRefSchema.extend({
          condition: z.enum(RETURN_CONDITIONS),
          reason: z.string(),
        }),
      )
      .min(1),
  }),
});

export const OrderRefunded = defineEvent({
  type: 'order.order.refunded',
  version: 1,
  owner: 'order',
  schema: z.object({
    ...orderRefFields,
    returnId: z.string().min(1),
    amount: moneySchema,
    status: orderStatusSchema,
  }),
});

/** This file's contracts, for ALL_CONTRACTS (topics.ts). */
export const FULFILLMENT_CONTRACTS: readonly Contract[] = [
  RecordWarehouseEvent,
  CancelOrder,
  RequestReturn,
  ReceiveReturn,
  FulfillmentRequested,
  OrderNeedsAttention,
  OrderShipped,
  OrderDelivered,
  OrderCancelled,
  OrderReturned,
  OrderRefunded,
];
