import {
  adminOrderViewSchema,
  returnItemInputSchema,
  returnViewSchema,
  GetOrderHistory,
  ListSellerOrders,
  orderPageSchema,
  orderStatusSchema,
  orderViewSchema,
  pageLimitSchema,
} from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const ORDER_ID = 'o-5b1f0c9e7d2a4c31';
const CREATED_AT = '2026-12-07T10:15:00.000Z';

export const ORDER_VIEW_EXAMPLE = {
  orderId: ORDER_ID,
  customerId: '0b9f5a36-6f0e-4a8e-9b0e-3c4b8f1d2a77',
  status: 'confirmed' as const,
  region: 'us' as const,
  currency: 'USD' as const,
  items: [
    {
      sku: 'NOR-000001-1',
      productId: 'p-000001',
      sellerId: 's-northwind',
      title: 'Northwind Organic Bodysuit Z9',
      quantity: 2,
      unitPrice: usd(2199),
      discount: usd(500),
      lineTotal: usd(3898),
    },
  ],
  totals: {
    subtotal: usd(4398),
    discount: usd(500),
    shipping: usd(0),
    tax: usd(0),
    total: usd(3898),
  },
  coupons: ['WELCOME5'],
  shippingAddress: {
    name: 'Ann Lee',
    line1: '500 Market St',
    city: 'San Francisco',
    state: 'CA',
    postalCode: '94105',
    country: 'US',
  },
  payment: { status: 'authorized' as const, brand: 'visa', last4: '4242' },
  shipments: [],
  createdAt: CREATED_AT,
  updatedAt: CREATED_AT,
};

export const orderViewResponseSchema = orderViewSchema.meta({ example: ORDER_VIEW_EXAMPLE });
export class OrderViewDto extends createZodDto(orderViewResponseSchema) {}

// min(1) on every nextCursor: a bare nullable string reaches the document as an array (nestjs-zod 5.5).
const nextCursor = z.string().min(1).nullable();

export const orderPageResponseSchema = orderPageSchema.extend({ nextCursor }).meta({
  example: {
    items: [
      {
        orderId: ORDER_ID,
        status: 'confirmed',
        region: 'us',
        currency: 'USD',
        totals: ORDER_VIEW_EXAMPLE.totals,
        itemCount: 2,
        createdAt: CREATED_AT,
        updatedAt: CREATED_AT,
      },
    ],
    nextCursor: 'eyJjcmVhdGVkQXQiOiIyMDI2LTEyLTA3VDEwOjE1OjAwLjAwMFoifQ',
  },
});
export class OrderPageDto extends createZodDto(orderPageResponseSchema) {}

const HISTORY_EXAMPLE = [
  {
    version: 1,
    type: 'placed',
    occurredAt: CREATED_AT,
    actor: { kind: 'customer' as const, id: ORDER_VIEW_EXAMPLE.customerId },
    data: { lines: 1, total: usd(3898) },
  },
  {
    version: 2,
    type: 'confirmed',
    occurredAt: '2026-12-07T10:15:01.000Z',
    actor: { kind: 'system' as const },
    data: {},
  },
];

export const orderHistoryResponseSchema = GetOrderHistory.response.meta({
  example: { orderId: ORDER_ID, items: HISTORY_EXAMPLE },
});
export class OrderHistoryDto extends createZodDto(orderHistoryResponseSchema) {}

export const adminOrderViewResponseSchema = adminOrderViewSchema.meta({
  example: {
    ...ORDER_VIEW_EXAMPLE,
    status: 'on_hold',
    reason: 'fraud review',
    timeline: HISTORY_EXAMPLE.slice(0, 1),
    payments: [
      {
        paymentId: 'pay_3kq9',
        status: 'authorized',
        authorized: usd(3898),
        captured: usd(0),
        refunded: usd(0),
      },
    ],
    fraud: {
      outcome: 'review',
      score: 55,
      reasons: [
        { rule: 'country_mismatch', weight: 30, detail: 'billing DE, shipping US' },
        { rule: 'new_account_large_order', weight: 25, detail: 'account 2 h old, 389.80 USD' },
      ],
      decidedAt: CREATED_AT,
    },
  },
});
export class AdminOrderViewDto extends createZodDto(adminOrderViewResponseSchema) {}

export const sellerOrderPageResponseSchema = ListSellerOrders.response.extend({ nextCursor }).meta({
  example: {
    items: [
      {
        orderId: ORDER_ID,
        status: 'confirmed',
        region: 'us',
        currency: 'USD',
        items: ORDER_VIEW_EXAMPLE.items,
        createdAt: CREATED_AT,
      },
    ],
    nextCursor: null,
  },
});
export class SellerOrderPageDto extends createZodDto(sellerOrderPageResponseSchema) {}

export const orderIdParamSchema = z.strictObject({
  orderId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be an order id')
    .meta({ example: ORDER_ID }),
});
export class OrderIdParamDto extends createZodDto(orderIdParamSchema) {}

const listQuery = {
  status: orderStatusSchema.optional().describe('Only orders in this status'),
  limit: pageLimitSchema.describe('Orders per page, 1 to 100 (default 20)'),
  cursor: z.string().min(1).max(1024).optional().describe('nextCursor of the previous page'),
};

export const orderListQuerySchema = z.strictObject(listQuery);
export class OrderListQueryDto extends createZodDto(orderListQuerySchema) {}

export const adminOrderListQuerySchema = z.strictObject({
  ...listQuery,
  customerId: z.string().min(1).max(128).optional().describe('Only this customer’s orders'),
});
export class AdminOrderListQueryDto extends createZodDto(adminOrderListQuerySchema) {}

export const reviewBodySchema = z
  .strictObject({
    reason: z.string().trim().min(1).max(500).optional().describe('Why, for the order history'),
  })
  .meta({ example: { reason: 'Customer confirmed the order by phone' } });
export class ReviewBodyDto extends createZodDto(reviewBodySchema) {}
export type ReviewBody = z.infer<typeof reviewBodySchema>;

// --- the order lifecycle (issue 20): cancellation and returns ---------------------------------

export const cancelBodySchema = z
  .strictObject({
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe('Why, for the order history and the customer’s notice'),
  })
  .meta({ example: { reason: 'Ordered the wrong size' } });
export class CancelBodyDto extends createZodDto(cancelBodySchema) {}
export type CancelBody = z.infer<typeof cancelBodySchema>;

export const cancelledOrderResponseSchema = orderViewSchema.meta({
  example: {
    ...ORDER_VIEW_EXAMPLE,
    status: 'cancelled',
    reason: 'Ordered the wrong size',
    payment: { ...ORDER_VIEW_EXAMPLE.payment, status: 'voided' },
    updatedAt: '2026-12-07T10:20:00.000Z',
  },
});
export class CancelledOrderViewDto extends createZodDto(cancelledOrderResponseSchema) {}

export const RETURN_ID_EXAMPLE = 'r-7c2e9a41';

export const returnRequestBodySchema = z
  .strictObject({
    items: z
      .array(z.strictObject(returnItemInputSchema.shape))
      .min(1)
      .max(100)
      .describe('The delivered units to send back, each with why and in what condition'),
  })
  .meta({
    example: {
      items: [{ sku: 'NOR-000001-1', quantity: 1, reason: 'Too small', condition: 'resellable' }],
    },
  });
export class ReturnRequestBodyDto extends createZodDto(returnRequestBodySchema) {}
export type ReturnRequestBody = z.infer<typeof returnRequestBodySchema>;

export const RETURN_VIEW_EXAMPLE = {
  returnId: RETURN_ID_EXAMPLE,
  orderId: ORDER_ID,
  status: 'requested' as const,
  items: [
    {
      sku: 'NOR-000001-1',
      quantity: 1,
      reason: 'Too small',
      condition: 'resellable' as const,
      shipmentId: 'sh-us-east-1',
      warehouseId: 'us-east' as const,
      refund: usd(1949),
    },
  ],
  refund: usd(1949),
  requestedAt: '2026-12-12T09:00:00.000Z',
};

export const returnViewResponseSchema = returnViewSchema.meta({ example: RETURN_VIEW_EXAMPLE });
export class ReturnViewDto extends createZodDto(returnViewResponseSchema) {}
