import { promotionInputSchema, promotionListingSchema, promotionSchema } from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const createPromotionBodySchema = promotionInputSchema.meta({
  examples: [
    {
      name: 'Autumn laptops 15% off',
      kind: 'percentage',
      percentOff: 15,
      target: { type: 'categories', categoryIds: ['electronics-computers-laptops'] },
      stacking: 'exclusive',
      startsAt: '2026-11-27T00:00:00.000Z',
      endsAt: '2026-12-01T00:00:00.000Z',
    },
    {
      name: 'Welcome coupon: 5 off',
      kind: 'fixed',
      amountOff: { USD: 500, EUR: 500, JPY: 700 },
      target: { type: 'all' },
      stacking: 'stackable',
      coupon: { code: 'WELCOME5', totalLimit: 1000, perCustomerLimit: 1 },
    },
    {
      name: 'Socks: buy 2, get 1 free',
      kind: 'buy_x_get_y',
      buyQuantity: 2,
      getQuantity: 1,
      target: { type: 'brands', brands: ['Lumen'] },
      stacking: 'stackable',
    },
  ],
});
/**
 * The body and answer schemas are unions (one shape per kind): a class cannot extend a union
 * type, so the DTO classes are typed loosely and the controller reads them as the schema's type.
 * Validation and the OpenAPI schema still come from the zod schema.
 */
type LooseDto = new () => Record<string, unknown>;
export class CreatePromotionBodyDto extends (createZodDto(
  createPromotionBodySchema,
) as unknown as LooseDto) {}

export class PromotionDto extends (createZodDto(promotionSchema) as unknown as LooseDto) {}

export const promotionListSchema = z.object({ items: z.array(promotionListingSchema) });
export class PromotionListDto extends createZodDto(promotionListSchema) {}
