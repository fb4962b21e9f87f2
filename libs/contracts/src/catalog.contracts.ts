import { z } from 'zod';
import { defineEvent, defineRequest } from './contract';
import { currencySchema, moneySchema, REGION_CURRENCY, regionSchema, type Region } from './common';
import { foldedSku, skuSchema } from './sku';

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
  /** What one unit costs now: the region's list price less automatic promotions. */
  price: moneySchema,
  /** The region's list price before promotions (added in issue 4; equal to price when none). */
  listPrice: moneySchema.optional(),
  /** The automatic promotions in `price` (coupon promotions apply in the cart). */
  promotions: z.array(z.object({ promotionId: z.string(), name: z.string() })).optional(),
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
  /**
   * When a scheduled promotion next starts or ends for this product (its prices change then
   * without a product event); null when none is scheduled. Caches keep the detail until then
   * at most.
   */
  pricesValidUntil: z.iso.datetime({ offset: true }).nullable().optional(),
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

/** Rows per `ImportProductFeed` request; the gateway cuts a larger feed into chunks. */
export const MAX_PRODUCT_FEED_ROWS = 500;

/**
 * Size limits of a product body. A product is stored as ONE DynamoDB meta item carrying every
 * field and every variant (docs/architecture.md, "Data"), and DynamoDB refuses an item over
 * 400 KB, so every field that ends up in it is bounded here, where the gateway checks it.
 *
 * Lengths are JavaScript string lengths (UTF-16 code units; "characters" in messages). A code
 * unit is at most 3 bytes of UTF-8, which is what DynamoDB counts, so the worst-case meta item
 * (every field at its limit, every character 3 bytes, 50 variants) is:
 *
 *   title 900 B + description 30,000 B + brand 300 B + categoryId and its path < 1,600 B
 *   + specs 48,000 B of text + 100 entries' map overhead (~100 B)
 *   + images 20 × 1,500 B
 *   + variants 50 × ~1,135 B (SKU 64, variant id ≤ 30, attributes 900 B of text + 33, three
 *     prices ~100, names and overhead) ≈ 56,700 B
 *   + bookkeeping (ids, dates, revision, hash, externalId, outbox mark, attribute names) < 1 KB
 *   ≈ 167 KB (measured: 166.6 KB), bounded at 170 KB: 42% of DynamoDB's 400 KB.
 *
 * `PRODUCT_META_ITEM_WORST_CASE_BYTES` states that bound; the catalog's unit test measures the
 * meta item of the largest body these limits allow against it, and the end-to-end suite stores
 * that body. The same body as JSON (escapes included) is well under a Kafka message's 1 MB.
 */
export const PRODUCT_LIMITS = {
  titleChars: 300,
  descriptionChars: 10_000,
  brandChars: 100,
  categoryIdChars: 100,
  specs: { entries: 100, nameChars: 100, valueChars: 1_000, totalChars: 16_000 },
  images: { count: 20, urlChars: 500 },
  variants: 50,
  variantAttributes: { entries: 10, nameChars: 50, valueChars: 100, totalChars: 300 },
} as const;
export const MAX_PRODUCT_VARIANTS = PRODUCT_LIMITS.variants;
/** The largest meta item the limits allow, in DynamoDB's item size (see PRODUCT_LIMITS). */
export const PRODUCT_META_ITEM_WORST_CASE_BYTES = 170_000;
/**
 * A product body (or feed row) within PRODUCT_LIMITS is below this as JSON even with every
 * character escaped as `\uXXXX` (6 bytes; about 340 KB at worst), so a bigger one cannot be
 * valid. The gateway rejects a feed row over it without sending it, and sends a feed to catalog
 * in bus messages of at most this many bytes of rows (under Kafka's default 1 MB per record).
 */
export const MAX_PRODUCT_JSON_BYTES = 512 * 1024;

const charsOf = (record: Record<string, string>): number =>
  Object.entries(record).reduce((sum, [name, value]) => sum + name.length + value.length, 0);

/**
 * A string-to-string map with bounded entries, name and value lengths and total size. The
 * count and total are checked first, so an oversized map answers one error naming the map
 * rather than one per entry.
 */
function boundedRecord(
  what: string,
  limits: { entries: number; nameChars: number; valueChars: number; totalChars: number },
) {
  const description =
    `At most ${limits.entries} ${what}s; a name has 1 to ${limits.nameChars} characters, a ` +
    `value at most ${limits.valueChars}, and names and values together at most ` +
    `${limits.totalChars} characters`;
  return z
    .record(z.string(), z.string())
    .refine((record) => Object.keys(record).length <= limits.entries, {
      message: `at most ${limits.entries} ${what}s`,
      abort: true,
    })
    .refine((record) => charsOf(record) <= limits.totalChars, {
      message: `${what} names and values have at most ${limits.totalChars} characters in all`,
    })
    .pipe(
      z.record(
        z.string().min(1).max(limits.nameChars),
        z
          .string()
          .max(limits.valueChars, `a ${what} value has at most ${limits.valueChars} characters`),
        {
          error: (issue) =>
            issue.code === 'invalid_key'
              ? `a ${what} name has 1 to ${limits.nameChars} characters`
              : undefined,
        },
      ),
    )
    .meta({
      description,
      maxProperties: limits.entries,
      // Stated here too: a document of the input side would otherwise show only the first stage.
      propertyNames: { type: 'string', minLength: 1, maxLength: limits.nameChars },
      additionalProperties: { type: 'string', maxLength: limits.valueChars },
    });
}

export const priceInputSchema = z.strictObject({
  region: regionSchema,
  amount: z
    .number()
    .int('amount must be an integer of minor units')
    .nonnegative()
    .describe('Minor units (cents; whole yen). 0 only when the product is marked `free: true`'),
  currency: currencySchema,
});
export type PriceInput = z.infer<typeof priceInputSchema>;

export const variantInputSchema = z.strictObject({
  sku: skuSchema,
  attributes: boundedRecord('attribute', PRODUCT_LIMITS.variantAttributes).default({}),
  /**
   * One price per region the product is sold in (us USD, eu EUR, ap JPY), each in that
   * region's currency: at least one region, the same regions for every variant.
   */
  prices: z
    .array(priceInputSchema)
    .min(1, 'a variant needs a price in at least one region')
    .describe(
      'One price per region the product is sold in (us USD, eu EUR, ap JPY), at least one; ' +
        'every variant of a product is priced in the same regions. The product is listed and ' +
        'sold only in those regions',
    ),
});
export type VariantInput = z.infer<typeof variantInputSchema>;

const L = PRODUCT_LIMITS;

/**
 * A product is sold in the regions its variants are priced in, so every variant is priced in
 * the regions of the first one: a variant missing one of them, or priced where the first is
 * not, is named (a product cannot be half sold in a region).
 */
function sameRegionsInEveryVariant(
  variants: readonly { prices: readonly { region: Region }[] }[],
  ctx: z.RefinementCtx,
): void {
  if (variants.length < 2) return;
  const regionsOf = (v: number) => new Set(variants[v].prices.map((price) => price.region));
  const sold = regionsOf(0);
  const soldList = [...sold].join(', ');
  for (let v = 1; v < variants.length; v++) {
    const regions = regionsOf(v);
    for (const region of sold) {
      if (!regions.has(region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', v, 'prices'],
          message: `no price for region ${region} (${REGION_CURRENCY[region]}): every variant is priced in the regions of variant 0 (${soldList})`,
        });
      }
    }
    variants[v].prices.forEach((price, p) => {
      if (!sold.has(price.region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', v, 'prices', p, 'region'],
          message: `variant 0 has no price in region ${price.region}: every variant is priced in the same regions (${soldList})`,
        });
      }
    });
  }
}

/**
 * The product body a seller sends (POST /v1/seller/products, PUT …/{productId}, one feed row
 * without its `externalId`). Besides each field's own rule (sizes: PRODUCT_LIMITS, SKUs:
 * sku.ts): every variant is priced in the same regions (at least one, each once), in the
 * region's currency, and the product is sold in those regions only; SKUs are unique within the
 * product regardless of case; and a price of 0 needs the product marked `free: true` (a
 * forgotten price must not put an item on sale for nothing). That the category exists and is a
 * leaf, and that no other product uses a SKU (regardless of case), catalog checks.
 */
const productFields = {
  title: z
    .string()
    .trim()
    .min(1, 'title must not be empty')
    .max(L.titleChars, `title has at most ${L.titleChars} characters`),
  description: z
    .string()
    .max(L.descriptionChars, `description has at most ${L.descriptionChars} characters`)
    .default(''),
  brand: z
    .string()
    .trim()
    .min(1, 'brand must not be empty')
    .max(L.brandChars, `brand has at most ${L.brandChars} characters`),
  categoryId: z
    .string()
    .min(1)
    .max(L.categoryIdChars, `categoryId has at most ${L.categoryIdChars} characters`)
    .describe('A leaf category of GET /v1/categories'),
  specs: boundedRecord('spec', L.specs).default({}),
  images: z
    .array(
      z
        .string()
        .min(1)
        .max(L.images.urlChars, `an image URL has at most ${L.images.urlChars} characters`),
    )
    .max(L.images.count, `at most ${L.images.count} images`)
    .default([]),
  /**
   * The seller's statement that prices of 0 are meant: a free product, or free variants of it
   * (a sample). Without it an amount of 0 is refused as a likely mistake.
   */
  free: z
    .boolean()
    .optional()
    .describe('true allows prices of 0 (a free product or free variants); default false'),
  variants: z
    .array(variantInputSchema)
    .min(1, 'a product needs at least one variant')
    .max(L.variants, `a product has at most ${L.variants} variants`),
};

/** The rules across fields of a product body (a feed row's too). */
function checkProduct(
  product: z.infer<z.ZodObject<typeof productFields>>,
  ctx: z.RefinementCtx,
): void {
  const firstOfSku = new Map<string, number>();
  product.variants.forEach((variant, v) => {
    // Case-insensitive, like the store-wide uniqueness catalog checks.
    const seen = firstOfSku.get(foldedSku(variant.sku));
    if (seen !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['variants', v, 'sku'],
        message: `SKU ${variant.sku} is already used by variant ${seen} of this product`,
      });
    } else firstOfSku.set(foldedSku(variant.sku), v);
    const regions = new Set<Region>();
    variant.prices.forEach((price, p) => {
      if (price.amount === 0 && product.free !== true) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', v, 'prices', p, 'amount'],
          message: 'a price of 0 needs the product marked free: true',
        });
      }
      if (price.currency !== REGION_CURRENCY[price.region]) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', v, 'prices', p, 'currency'],
          message: `prices in region ${price.region} are in ${REGION_CURRENCY[price.region]}, not ${price.currency}`,
        });
      }
      if (regions.has(price.region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', v, 'prices', p, 'region'],
          message: `region ${price.region} is priced twice`,
        });
      }
      regions.add(price.region);
    });
  });
  sameRegionsInEveryVariant(product.variants, ctx);
}

// Strict, like every request body: an unknown field is a 400 naming it, never dropped silently.
export const productInputSchema = z.strictObject(productFields).superRefine(checkProduct);
export type ProductInput = z.infer<typeof productInputSchema>;

/** What a create or an update answers: the product's revision and its variants' ids. */
export const productWriteResultSchema = z.object({
  productId: z.string(),
  revision: z.number().int().positive(),
  variants: z.array(z.object({ variantId: z.string(), sku: z.string() })),
});
export type ProductWriteResult = z.infer<typeof productWriteResultSchema>;

/**
 * Creates a product owned by `sellerId`. With an `idempotencyKey`, the same seller, key and
 * body answer the first result again; the same key with another body fails with 422
 * IDEMPOTENCY_KEY_REUSED.
 */
export const CreateProduct = defineRequest({
  type: 'catalog.product.create',
  version: 1,
  owner: 'catalog',
  request: z.object({
    sellerId: z.string().min(1),
    idempotencyKey: z.string().min(1).max(200).optional(),
    product: productInputSchema,
  }),
  response: productWriteResultSchema,
});

/**
 * Replaces a product's content. A seller may update only their own products (404
 * PRODUCT_NOT_FOUND otherwise), an admin (`asAdmin`) any. `expectedRevision` makes it a
 * compare-and-set (409 REVISION_CONFLICT). Variants keep their id while their SKU stays.
 */
export const UpdateProduct = defineRequest({
  type: 'catalog.product.update',
  version: 1,
  owner: 'catalog',
  request: z.object({
    productId: z.string().min(1),
    sellerId: z.string().min(1),
    asAdmin: z.boolean(),
    expectedRevision: z.number().int().positive().optional(),
    product: productInputSchema,
  }),
  response: productWriteResultSchema,
});

/**
 * One row of a seller's product feed: a product body plus the seller's own `externalId`, which
 * identifies the product across feeds (the same externalId updates the same product).
 */
export const productFeedRowSchema = z
  .strictObject({
    ...productFields,
    externalId: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'externalId must match [A-Za-z0-9._:-]{1,100}'),
  })
  .superRefine(checkProduct);
export type ProductFeedRow = z.infer<typeof productFeedRowSchema>;

export const PRODUCT_FEED_ROW_STATUSES = ['created', 'updated', 'unchanged', 'rejected'] as const;

export const productFeedRowResultSchema = z.object({
  /** Position of the row in the whole feed (`offset` + index in this chunk). */
  row: z.number().int().nonnegative(),
  status: z.enum(PRODUCT_FEED_ROW_STATUSES),
  externalId: z.string().optional(),
  productId: z.string().optional(),
  revision: z.number().int().positive().optional(),
  /** Why a row was rejected (with `code`), and its field errors relative to the row. */
  reason: z.string().optional(),
  code: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ProductFeedRowResult = z.infer<typeof productFeedRowResultSchema>;

/**
 * A chunk of a seller's bulk product feed (rows validated one by one: a bad row is rejected
 * with its reason, the others are applied). Rows are keyed by `externalId`: a row identical to
 * what is stored answers 'unchanged' and writes nothing, so a re-sent feed is harmless.
 */
export const ImportProductFeed = defineRequest({
  type: 'catalog.products.feed',
  version: 1,
  owner: 'catalog',
  request: z.object({
    feedId: z.string().min(1).max(200),
    sellerId: z.string().min(1),
    offset: z.number().int().nonnegative(),
    rows: z.array(z.unknown()).max(MAX_PRODUCT_FEED_ROWS),
  }),
  response: z.object({ results: z.array(productFeedRowResultSchema) }),
});
