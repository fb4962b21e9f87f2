import {
  promotionChangesSchema,
  promotionInputSchema,
  promotionListingSchema,
  promotionSchema,
} from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** Categories and brands of the examples exist in the demo catalog (libs/demo-data). */
export const createPromotionBodySchema = promotionInputSchema.meta({
  examples: [
    {
      name: 'Laptops 15% off',
      kind: 'percentage',
      percentOff: 15,
      target: { type: 'categories', categoryIds: ['laptops'] },
      stacking: 'exclusive',
      startsAt: '2030-11-27T00:00:00.000Z',
      endsAt: '2030-12-01T00:00:00.000Z',
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
      name: 'Sonora audio: buy 2, get 1 free',
      kind: 'buy_x_get_y',
      buyQuantity: 2,
      getQuantity: 1,
      target: { type: 'brands', brands: ['Sonora'] },
      stacking: 'stackable',
    },
  ],
});

/**
 * PATCH body: the editable fields, each optional (see `promotionChangesSchema`). The examples
 * fit a percentage promotion such as the first create example; a coupon's limits change with
 * e.g. `{"coupon": {"totalLimit": 2000, "perCustomerLimit": null}}`.
 */
export const updatePromotionBodySchema = promotionChangesSchema.meta({
  examples: [
    {
      name: 'Laptops and desktops 20% off',
      percentOff: 20,
      target: { type: 'categories', categoryIds: ['laptops', 'desktops'] },
      endsAt: '2030-12-08T00:00:00.000Z',
    },
    { stacking: 'stackable', startsAt: null },
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

export class UpdatePromotionBodyDto extends (createZodDto(
  updatePromotionBodySchema,
) as unknown as LooseDto) {}

export class PromotionDto extends (createZodDto(promotionSchema) as unknown as LooseDto) {}

export class PromotionListingDto extends (createZodDto(
  promotionListingSchema,
) as unknown as LooseDto) {}

export const promotionListSchema = z.object({ items: z.array(promotionListingSchema) });
export class PromotionListDto extends createZodDto(promotionListSchema) {}

export const promotionIdParamSchema = z.strictObject({
  promotionId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a promotion id')
    .meta({ example: '3f2b8c1e-6d4a-4e8f-9b7c-2a1d5e6f7a8b' }),
});
export class PromotionIdParamDto extends createZodDto(promotionIdParamSchema) {}

/** `If-Match` of an update: the promotion's `version` as read, quoted or not. */
export const ifMatchHeaderSchema = z.object({
  'if-match': z
    .string()
    .regex(/^"?[1-9]\d{0,8}"?$/, 'If-Match must be the version being changed, e.g. "3"')
    .transform((value) => Number(value.replace(/"/g, '')))
    .optional(),
});
