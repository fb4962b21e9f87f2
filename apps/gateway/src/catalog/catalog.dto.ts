import {
  BROWSE_SORTS,
  categoryNodeSchema,
  moneySchema,
  productDetailSchema,
  productSummarySchema,
  skuAvailabilitySchema,
} from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { productIdSchema } from './product-id';

const money = (amount: number, currency: string) => ({ amount, currency });

export const browseQuerySchema = z
  .strictObject({
    category: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('A categoryId; its descendants are included'),
    brand: z.string().min(1).max(64).optional().describe('Exact brand name'),
    minPrice: z.coerce
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('In minor units of the region currency'),
    maxPrice: z.coerce
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('In minor units of the region currency'),
    sort: z.enum(BROWSE_SORTS).optional().describe('Default: rating (best rated first)'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(4096).optional().describe('nextCursor of the previous page'),
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'must not be greater than maxPrice',
    path: ['minPrice'],
  });
export class BrowseQueryDto extends createZodDto(browseQuerySchema) {}

/** `{productId}` of the product routes: the one product id rule (product-id.ts). */
export const productIdParamSchema = z.strictObject({ productId: productIdSchema });
export class ProductIdParamDto extends createZodDto(productIdParamSchema) {}

export const categoriesResponseSchema = z.object({ items: z.array(categoryNodeSchema) }).meta({
  example: {
    items: [
      {
        categoryId: 'electronics',
        name: 'Electronics',
        slug: 'electronics',
        productCount: 1210,
        children: [
          {
            categoryId: 'electronics-computers',
            name: 'Computers',
            slug: 'computers',
            productCount: 402,
            children: [],
          },
        ],
      },
    ],
  },
});
export class CategoriesResponseDto extends createZodDto(categoriesResponseSchema) {}

export const browseResponseSchema = z
  // min(1): a bare nullable string reaches the OpenAPI document as an array (nestjs-zod 5.5).
  .object({ items: z.array(productSummarySchema), nextCursor: z.string().min(1).nullable() })
  .meta({
    example: {
      items: [
        {
          productId: 'p-000042',
          title: 'Northwind Ultra Laptop 14 X2',
          brand: 'Northwind',
          categoryId: 'electronics-computers-laptops',
          price: money(129900, 'USD'),
          rating: 4.4,
          imageUrl: 'https://images.mercato.example/p/p-000042/1.jpg',
        },
      ],
      nextCursor: 'eyJrIjoiLi4uIn0',
    },
  });
export class BrowseResponseDto extends createZodDto(browseResponseSchema) {}

export const productDetailResponseSchema = productDetailSchema
  .extend({
    variants: z.array(
      productDetailSchema.shape.variants.element.extend({
        available: z
          .number()
          .int()
          .nonnegative()
          .describe('Units available in the region’s warehouses'),
      }),
    ),
  })
  .meta({
    example: {
      productId: 'p-000042',
      title: 'Northwind Ultra Laptop 14 X2',
      description: 'A light 14-inch laptop with a full-day battery.',
      brand: 'Northwind',
      category: {
        categoryId: 'electronics-computers-laptops',
        name: 'Laptops',
        path: [
          { categoryId: 'electronics', name: 'Electronics' },
          { categoryId: 'electronics-computers', name: 'Computers' },
          { categoryId: 'electronics-computers-laptops', name: 'Laptops' },
        ],
      },
      images: ['https://images.mercato.example/p/p-000042/1.jpg'],
      specs: { weight: '1.2 kg', warranty: '2 years' },
      rating: { average: 4.4, count: 318 },
      region: 'eu',
      variants: [
        {
          variantId: 'p-000042-v1',
          sku: 'NW-000042-1',
          attributes: { colour: 'Silver', capacity: '512 GB' },
          price: money(119900, 'EUR'),
          available: 37,
        },
      ],
      createdAt: '2026-03-14T09:12:00.000Z',
    },
  });
export class ProductDetailResponseDto extends createZodDto(productDetailResponseSchema) {}
export type ProductDetailResponse = z.infer<typeof productDetailResponseSchema>;

export const availabilityResponseSchema = z.object({
  productId: z.string(),
  region: z.string(),
  variants: z.array(skuAvailabilitySchema),
});
export class AvailabilityResponseDto extends createZodDto(availabilityResponseSchema) {}

export { moneySchema };
