import { z } from 'zod';
import { defineEvent, defineRequest } from './contract';
import { moneySchema, regionSchema } from './common';

export interface CategoryNode {
  categoryId: string;
  name: string;
  slug: string;
  productCount: number;
  children: CategoryNode[];
}

export const categoryNodeSchema: z.ZodType<CategoryNode> = z.lazy(() =>
  z.object({
    categoryId: z.string(),
    name: z.string(),
    slug: z.string(),
    productCount: z.number().int().nonnegative(),
    children: z.array(categoryNodeSchema),
  }),
);

export const BROWSE_SORTS = ['price_asc', 'price_desc', 'newest', 'rating'] as const;
export const browseSortSchema = z.enum(BROWSE_SORTS);
export type BrowseSort = z.infer<typeof browseSortSchema>;

export const productSummarySchema = z.object({
  productId: z.string(),
  title: z.string(),
  brand: z.string(),
  categoryId: z.string(),
  price: moneySchema,
  rating: z.number().min(0).max(5),
  imageUrl: z.string(),
});
export type ProductSummary = z.infer<typeof productSummarySchema>;

export const variantDetailSchema = z.object({
  variantId: z.string(),
  sku: z.string(),
  attributes: z.record(z.string(), z.string()),
  price: moneySchema,
});

export const productDetailSchema = z.object({
  productId: z.string(),
  title: z.string(),
  description: z.string(),
  brand: z.string(),
  category: z.object({
    categoryId: z.string(),
    name: z.string(),
    path: z.array(z.object({ categoryId: z.string(), name: z.string() })),
  }),
  images: z.array(z.string()),
  specs: z.record(z.string(), z.string()),
  rating: z.object({ average: z.number().min(0).max(5), count: z.number().int().nonnegative() }),
  region: regionSchema,
  variants: z.array(variantDetailSchema),
  createdAt: z.iso.datetime({ offset: true }),
});
export type ProductDetail = z.infer<typeof productDetailSchema>;

export const ListCategories = defineRequest({
  type: 'catalog.categories.list',
  version: 1,
  owner: 'catalog',
  request: z.object({}),
  response: z.object({ items: z.array(categoryNodeSchema) }),
});

export const BrowseProducts = defineRequest({
  type: 'catalog.products.browse',
  version: 1,
  owner: 'catalog',
  request: z.object({
    region: regionSchema,
    category: z.string().optional(),
    brand: z.string().optional(),
    minPrice: z.number().int().nonnegative().optional(),
    maxPrice: z.number().int().nonnegative().optional(),
    sort: browseSortSchema.optional(),
    limit: z.number().int().min(1).max(100),
    cursor: z.string().optional(),
  }),
  response: z.object({ items: z.array(productSummarySchema), nextCursor: z.string().nullable() }),
});

export const GetProduct = defineRequest({
  type: 'catalog.product.get',
  version: 1,
  owner: 'catalog',
  request: z.object({ productId: z.string().min(1), region: regionSchema }),
  response: productDetailSchema,
});

/**
 * Published after a product is created or changed; consumers rebuild read models from it.
 * `sellerId` and `variants` were added later (optional, so v1 stays compatible): inventory
 * creates the stock items of new SKUs from them.
 */
export const ProductChanged = defineEvent({
  type: 'catalog.product.changed',
  version: 1,
  owner: 'catalog',
  schema: z.object({
    productId: z.string(),
    revision: z.number().int().positive(),
    sellerId: z.string().optional(),
    variants: z.array(z.object({ variantId: z.string(), sku: z.string() })).optional(),
  }),
});
