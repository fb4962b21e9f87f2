import {
  cartItemViewSchema,
  cartViewSchema,
  couponStatusSchema,
  MAX_CART_QUANTITY,
} from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** A SKU as a cart names it (the cart contracts' bound); a `/` in it is sent as `%2F`. */
const skuSchema = z
  .string()
  .min(1)
  .max(128)
  .meta({ description: 'The SKU; percent-encode a `/` as `%2F`', example: 'NOR-000001-1' });

export const cartSkuParamSchema = z.strictObject({ sku: skuSchema });
export class CartSkuParamDto extends createZodDto(cartSkuParamSchema) {}

const couponCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .meta({ description: 'The coupon code (any letter case)', example: 'WELCOME5' });

export const couponCodeParamSchema = z.strictObject({ code: couponCodeSchema });
export class CouponCodeParamDto extends createZodDto(couponCodeParamSchema) {}

const quantity = (min: 0 | 1) =>
  z
    .number()
    .int()
    .min(min)
    .max(MAX_CART_QUANTITY)
    .describe(`Units, an integer from ${min} to ${MAX_CART_QUANTITY}`);

export const addCartItemBodySchema = z
  .strictObject({ sku: skuSchema, quantity: quantity(1) })
  .meta({ example: { sku: 'NOR-000001-1', quantity: 2 } });
export class AddCartItemBodyDto extends createZodDto(addCartItemBodySchema) {}

export const setCartItemQuantityBodySchema = z
  .strictObject({ quantity: quantity(0).describe('The line’s new quantity; 0 removes the line') })
  .meta({ example: { quantity: 3 } });
export class SetCartItemQuantityBodyDto extends createZodDto(setCartItemQuantityBodySchema) {}

export const applyCouponBodySchema = z
  .strictObject({ code: couponCodeSchema })
  .meta({ example: { code: 'WELCOME5' } });
export class ApplyCouponBodyDto extends createZodDto(applyCouponBodySchema) {}

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

export const CART_VIEW_EXAMPLE = {
  cartId: 'c_7Hq2xK9mPzR4tW1v',
  region: 'us' as const,
  currency: 'USD' as const,
  items: [
    {
      sku: 'NOR-000001-1',
      productId: 'p-000001',
      variantId: 'v-000001-1',
      title: 'Northwind Organic Bodysuit Z9',
      attributes: { size: 'XS', colour: 'Beige' },
      imageUrl: 'https://images.mercato.example/p/p-000001/1.jpg',
      quantity: 2,
      unitPrice: usd(2199),
      lineTotal: usd(3898),
      discount: usd(500),
      discounts: [{ promotionId: '3f2b8c1e', name: 'Welcome coupon: 5 off', amount: usd(500) }],
      priceChanged: false,
      unitPriceWhenAdded: usd(2199),
    },
  ],
  unavailableItems: [],
  coupons: [{ code: 'WELCOME5', status: 'applied' as const, promotionId: '3f2b8c1e' }],
  subtotal: usd(4398),
  discount: usd(500),
  total: usd(3898),
  itemCount: 2,
  version: 4,
  expiresAt: '2026-12-14T10:00:00.000Z',
};

/**
 * The priced cart for the OpenAPI document. min(1) on the nullable strings: a bare nullable
 * string reaches the document as an array (nestjs-zod 5.5).
 */
export const cartViewResponseSchema = cartViewSchema
  .extend({
    items: z.array(cartItemViewSchema.extend({ imageUrl: z.string().min(1).nullable() })),
    coupons: z.array(
      z.object({
        code: z.string(),
        status: couponStatusSchema,
        promotionId: z.string().min(1).nullable(),
      }),
    ),
  })
  .meta({ example: CART_VIEW_EXAMPLE });
export class CartViewDto extends createZodDto(cartViewResponseSchema) {}
