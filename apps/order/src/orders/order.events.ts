import { z } from 'zod';
import {
  currencySchema,
  moneySchema,
  ORDER_STATUS_VALUES,
  RETURN_CONDITIONS,
  regionSchema,
  warehouseIdSchema,
} from '@mercato/contracts';

/** Who caused an event: the audit trail answers "who" with this. */
export const orderActorSchema = z.object({
  kind: z.enum(['customer', 'admin', 'system']),
  /** The customer's or admin's id; a system step names its component (e.g. `fraud`). */
  id: z.string().min(1).optional(),
});
export type OrderActor = z.infer<typeof orderActorSchema>;

export const orderLineSchema = z.object({
  sku: z.string().min(1),
  productId: z.string().min(1),
  /** The product's seller: sellers see their own lines of an order. */
  sellerId: z.string().min(1).optional(),
  title: z.string().optional(),
  quantity: z.number().int().positive(),
  unitPrice: moneySchema,
  /** What promotions took off this line (all units). */
  discount: moneySchema,
  /** quantity × unitPrice − discount. */
  lineTotal: moneySchema,
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const orderTotalsSchema = z.object({
  subtotal: moneySchema,
  discount: moneySchema,
  shipping: moneySchema,
  tax: moneySchema,
  total: moneySchema,
});
export type OrderTotals = z.infer<typeof orderTotalsSchema>;

export const shippingAddressSchema = z.object({
  name: z.string().min(1),
  line1: z.string().min(1),
  line2: z.string().optional(),
  city: z.string().min(1),
  state: z.string().optional(),
  postalCode: z.string().min(1),
  country: z.string().length(2),
  phone: z.string().optional(),
});
export type ShippingAddress = z.infer<typeof shippingAddressSchema>;

/** One line's stock hold (inventory's reservation id is `<orderId>:<sku>`). */
export const orderReservationSchema = z.object({
  reservationId: z.string().min(1),
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  warehouseId: z.string().min(1),
});
export type OrderReservation = z.infer<typeof orderReservationSchema>;

/** One shipment of an assignment: a warehouse, the whole lines it ships, their share of the total. */
export const assignedShipmentSchema = z.object({
  shipmentId: z.string().min(1),
  warehouseId: warehouseIdSchema,
  lines: z
    .array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive() }))
    .min(1),
  /** What is captured when it ships (docs/order-lifecycle.md, "Money"). */
  amount: moneySchema,
});
export type AssignedShipment = z.infer<typeof assignedShipmentSchema>;

export const SHIPMENT_EVENT_TYPES = [
  'shipment_picked',
  'shipment_packed',
  'shipment_shipped',
  'shipment_delivered',
] as const;
export type ShipmentEventType = (typeof SHIPMENT_EVENT_TYPES)[number];

/** A warehouse's report of one step, as received (the order's event time is when it was applied). */
const warehouseStepSchema = z.object({
  shipmentId: z.string().min(1),
  eventId: z.string().min(1),
  /** Of the warehouse's body, so a repeat of the event id with another body is told apart. */
  fingerprint: z.string().min(1),
  /** When it happened at the warehouse. */
  reportedAt: z.iso.datetime({ offset: true }),
  trackingNumber: z.string().min(1).optional(),
  /** Who sent it: a partner key (its id) or an admin. */
  sender: z.string().min(1),
});

/** One returned SKU of a return, with where it ships back to and what it refunds. */
export const returnLineSchema = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  reason: z.string().min(1),
  condition: z.enum(RETURN_CONDITIONS),
  shipmentId: z.string().min(1),
  warehouseId: warehouseIdSchema,
  refund: moneySchema,
});
export type ReturnLine = z.infer<typeof returnLineSchema>;

const withReason = z.object({ reason: z.string().min(1) });
const noData = z.object({}).strict();

/**
 * The fields every event has besides its type and data. `version` is the event's place in its
 * order's history (1 for `placed`); `reason` repeats the data's reason, when it has one, so the
 * audit trail reads every event the same way.
 */
const envelope = {
  orderId: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  actor: orderActorSchema,
  reason: z.string().min(1).optional(),
};

export const orderEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...envelope,
    type: z.literal('placed'),
    data: z.object({
      customerId: z.string().min(1),
      region: regionSchema,
      currency: currencySchema,
      lines: z.array(orderLineSchema).min(1),
      totals: orderTotalsSchema,
      shippingAddress: shippingAddressSchema,
      paymentId: z.string().min(1).optional(),
      /** Coupon codes priced into the totals; redeemed during checkout. */
      coupons: z.array(z.string().min(1)).default([]),
      /** The checkout's Idempotency-Key, so recovery can settle the client's record. */
      idempotencyKey: z.string().min(1).optional(),
    }),
  }),
  // Steps of the checkout and their compensations: facts for the audit trail and for recovery;
  // they do not move the status.
  z.object({
    ...envelope,
    type: z.literal('fraud_assessed'),
    data: z.object({
      outcome: z.enum(['allow', 'review', 'deny']),
      score: z.number(),
      reasons: z.array(z.string()),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('stock_reserved'),
    data: z.object({ reservations: z.array(orderReservationSchema).min(1) }),
  }),
  z.object({
    ...envelope,
    type: z.literal('coupons_redeemed'),
    data: z.object({ codes: z.array(z.string().min(1)).min(1) }),
  }),
  z.object({
    ...envelope,
    type: z.literal('payment_authorized'),
    data: z.object({
      paymentId: z.string().min(1),
      amount: moneySchema,
      brand: z.string().optional(),
      last4: z.string().optional(),
      /** When the hold lapses if nothing is captured (recorded since issue 20). */
      expiresAt: z.iso.datetime({ offset: true }).optional(),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('stock_committed'),
    data: z.object({ reservationIds: z.array(z.string().min(1)).min(1) }),
  }),
  z.object({ ...envelope, type: z.literal('cart_cleared'), data: noData }),
  z.object({
    ...envelope,
    type: z.literal('stock_released'),
    data: z.object({
      reservationIds: z.array(z.string().min(1)).min(1),
      reason: z.string().min(1),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('coupons_released'),
    data: z.object({ codes: z.array(z.string().min(1)).min(1), reason: z.string().min(1) }),
  }),
  z.object({
    ...envelope,
    type: z.literal('payment_voided'),
    data: z.object({ paymentId: z.string().min(1), reason: z.string().min(1) }),
  }),
  z.object({ ...envelope, type: z.literal('confirmed'), data: noData }),
  z.object({ ...envelope, type: z.literal('put_on_hold'), data: withReason }),
  z.object({ ...envelope, type: z.literal('approved'), data: noData }),
  z.object({ ...envelope, type: z.literal('rejected'), data: withReason }),
  z.object({ ...envelope, type: z.literal('cancelled'), data: withReason }),
  z.object({ ...envelope, type: z.literal('failed'), data: withReason }),
  // The lifecycle after confirmation (issue 20, docs/order-lifecycle.md).
  z.object({
    ...envelope,
    type: z.literal('fulfillment_assigned'),
    data: z.object({ shipments: z.array(assignedShipmentSchema).min(1) }),
  }),
  ...SHIPMENT_EVENT_TYPES.map((type) =>
    z.object({ ...envelope, type: z.literal(type), data: warehouseStepSchema }),
  ),
  z.object({
    ...envelope,
    type: z.literal('payment_captured'),
    data: z.object({
      paymentId: z.string().min(1),
      shipmentId: z.string().min(1),
      amount: moneySchema,
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('payment_reauthorized'),
    data: z.object({
      paymentId: z.string().min(1),
      expiresAt: z.iso.datetime({ offset: true }),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('authorization_released'),
    data: z.object({ paymentId: z.string().min(1), amount: moneySchema }),
  }),
  z.object({
    ...envelope,
    type: z.literal('shipments_cancelled'),
    data: z.object({
      shipmentIds: z.array(z.string().min(1)).min(1),
      /** Every shipment of the order is cancelled now: the order is. */
      whole: z.boolean(),
      reason: z.string().min(1),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('shipment_restocked'),
    data: z.object({ shipmentId: z.string().min(1) }),
  }),
  z.object({
    ...envelope,
    type: z.literal('return_requested'),
    data: z.object({
      returnId: z.string().min(1),
      /** What the customer sent (hash), so the same Idempotency-Key and items replay. */
      requestHash: z.string().min(1),
      items: z.array(returnLineSchema).min(1),
      refund: moneySchema,
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('return_received'),
    data: z.object({ returnId: z.string().min(1) }),
  }),
  z.object({
    ...envelope,
    type: z.literal('return_restocked'),
    data: z.object({ returnId: z.string().min(1) }),
  }),
  z.object({
    ...envelope,
    type: z.literal('return_refunded'),
    data: z.object({
      returnId: z.string().min(1),
      paymentId: z.string().min(1).optional(),
      amount: moneySchema,
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('attention_raised'),
    data: z.object({
      kind: z.enum(['pick_overdue', 'payment_failed']),
      shipmentId: z.string().min(1).optional(),
      detail: z.string().min(1),
    }),
  }),
]);
export type OrderEvent = z.infer<typeof orderEventSchema>;
export type OrderEventType = OrderEvent['type'];
export type OrderEventOf<T extends OrderEventType> = Extract<OrderEvent, { type: T }>;

type WithoutPlace<E> = E extends unknown ? Omit<E, 'orderId' | 'version'> : never;
/** An event before it is appended: the store gives it its order id and version. */
export type OrderEventDraft = WithoutPlace<OrderEvent>;

export const ORDER_STATUSES = ORDER_STATUS_VALUES;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Parses a stored or received event; throws a ZodError naming every problem. */
export const parseOrderEvent = (raw: unknown): OrderEvent => orderEventSchema.parse(raw);
