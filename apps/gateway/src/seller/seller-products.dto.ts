import {
  productFeedRowResultSchema,
  productInputSchema,
  productWriteResultSchema,
} from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** Most rows one product feed request may carry; the gateway sends them in chunks. */
export const PRODUCT_FEED_MAX_ROWS = 10_000;

const price = (region: string, amount: number, currency: string) => ({ region, amount, currency });

export const productBodySchema = productInputSchema.meta({
  example: {
    title: 'Trailhead 2 Hiking Boot',
    description: 'Waterproof leather boot with a grippy sole.',
    brand: 'Northwind',
    categoryId: 'sports-outdoor-footwear',
    specs: { material: 'leather', weight: '540 g' },
    images: ['https://images.example/trailhead-2/1.jpg'],
    variants: [
      {
        sku: 'NW-TRAIL2-42',
        attributes: { size: '42', colour: 'Brown' },
        prices: [price('us', 12900, 'USD'), price('eu', 11900, 'EUR'), price('ap', 19800, 'JPY')],
      },
    ],
  },
});
export class ProductBodyDto extends createZodDto(productBodySchema) {}

export const productWriteResponseSchema = productWriteResultSchema.meta({
  example: {
    productId: 'p-7c1d2e9a',
    revision: 1,
    variants: [{ variantId: 'v-3f9a1b', sku: 'NW-TRAIL2-42' }],
  },
});
export class ProductWriteResponseDto extends createZodDto(productWriteResponseSchema) {}

/** Rows are checked one by one by catalog; only the envelope is checked here. */
export const productFeedBodySchema = z.array(z.unknown()).min(1).max(PRODUCT_FEED_MAX_ROWS);

export const productFeedResponseSchema = z
  .object({
    feedId: z.string(),
    summary: z.object({
      rows: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.number().int(),
    }),
    results: z.array(productFeedRowResultSchema),
  })
  .meta({
    example: {
      feedId: 'products-2026-11-25',
      summary: { rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1 },
      results: [
        { row: 0, status: 'created', externalId: 'boot-42', productId: 'p-7c1d2e9a', revision: 1 },
        {
          row: 1,
          status: 'rejected',
          externalId: 'boot-43',
          code: 'VALIDATION_FAILED',
          reason: 'Invalid product',
          errors: [{ field: 'variants.0.prices', message: 'no price for region ap (JPY)' }],
        },
      ],
    },
  });
export class ProductFeedResponseDto extends createZodDto(productFeedResponseSchema) {}
export type ProductFeedResponse = z.infer<typeof productFeedResponseSchema>;

export const ifMatchSchema = z
  .string()
  .regex(/^"?\d{1,9}"?$/, 'If-Match must be the revision to replace, e.g. "3"')
  .transform((value) => Number(value.replace(/"/g, '')));
