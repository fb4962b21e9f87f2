import { z } from 'zod';

/**
 * A product id as the API accepts it in a path: 1–64 characters of `A–Z a–z 0–9 _ -`. The one
 * rule for every reader of a product id: the route parameters (`ProductIdParamDto`, whose 400
 * names the field) and the door of product detail (`isProductId`, product-detail.fast-path.ts).
 */
export const productIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a product id')
  .meta({ example: 'p-000001' }); // the demo catalog's first product

/**
 * Whether `value` is a product id, by `productIdSchema` itself (~0.15 µs, against ~50 µs for a
 * whole answer at the door). Not a product id: the request goes on to Nest, whose parameter
 * validation answers 400 with the reason.
 */
export function isProductId(value: string): boolean {
  return productIdSchema.safeParse(value).success;
}
