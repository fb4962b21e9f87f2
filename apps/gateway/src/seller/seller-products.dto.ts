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

/**
 * The create example, as sent: `men-shoes-boots` is a leaf of the demo catalog's tree (the same
 * in every seeded store), and the SKU is new to it. Sent twice, the second answers 409 SKU_TAKEN.
 */
export const PRODUCT_CREATE_EXAMPLE = {
  title: 'Trailhead 2 Hiking Boot',
  description: 'Waterproof leather boot with a grippy sole.',
  brand: 'Northwind',
  categoryId: 'men-shoes-boots',
  specs: { material: 'leather', weight: '540 g' },
  images: ['https://images.example/trailhead-2/1.jpg'],
  variants: [
    {
      sku: 'NW-TRAIL2-42',
      attributes: { size: '42', colour: 'Brown' },
      prices: [price('us', 12900, 'USD'), price('eu', 11900, 'EUR'), price('ap', 19800, 'JPY')],
    },
  ],
};

/** The demo product the update example replaces (an admin may update any product). */
export const PRODUCT_UPDATE_EXAMPLE_ID = 'p-000001';
/**
 * The update example: demo product p-000001 (default seed) with its own category and SKUs and a
 * lower price, so it answers 200 to an admin whether or not the create example ran first.
 */
export const PRODUCT_UPDATE_EXAMPLE = {
  title: 'Northwind Organic Bodysuit Z9',
  description: 'Organic cotton bodysuit, relaxed fit. Now with a lower price.',
  brand: 'Northwind',
  categoryId: 'baby-clothing',
  specs: { Material: '100% cotton', Fit: 'Relaxed', Care: 'Machine wash 30°C', 'Made in': 'Italy' },
  images: ['https://images.mercato.example/p/p-000001/1.jpg'],
  variants: [
    {
      sku: 'NOR-000001-1',
      attributes: { size: 'XS', colour: 'Beige' },
      prices: [price('us', 1999, 'USD'), price('eu', 1849, 'EUR'), price('ap', 2980, 'JPY')],
    },
    {
      sku: 'NOR-000001-2',
      attributes: { size: 'S', colour: 'Beige' },
      prices: [price('us', 1999, 'USD'), price('eu', 1849, 'EUR'), price('ap', 2980, 'JPY')],
    },
  ],
};

/**
 * The feed example: one row, with its own SKU, so it creates a product next to the others. It
 * shows what an ERP export often holds: a lower-case SKU with `/` and `.`, priced in one
 * region only (the product is then sold in the us only).
 */
export const PRODUCT_FEED_EXAMPLE = [
  {
    externalId: 'boot-43',
    ...PRODUCT_CREATE_EXAMPLE,
    variants: [
      {
        sku: 'nw-trail2/43.brown',
        attributes: { size: '43', colour: 'Brown' },
        prices: [price('us', 12900, 'USD')],
      },
    ],
  },
];

export const productBodySchema = productInputSchema.meta({ example: PRODUCT_CREATE_EXAMPLE });
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
          errors: [
            {
              field: 'variants.0.prices.1.currency',
              message: 'prices in region eu are in EUR, not USD',
            },
          ],
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
