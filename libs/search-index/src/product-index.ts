import { REGIONS, type Region } from '@mercato/contracts';
import { z } from 'zod';

const id = z.string().min(1).max(256);
const minorUnits = z.number().int().nonnegative();

/**
 * What the search index holds per product: one document per product (not per variant), with the
 * lowest price per region and the variants' attribute values, so a product matches "red" when
 * any of its variants is red. Built by the search service from catalog and inventory events.
 */
export const productDocumentSchema = z
  .object({
    productId: id,
    title: z.string().min(1),
    description: z.string(),
    brand: z.string().min(1),
    /** The product's own (leaf) category. */
    categoryId: id,
    /** Ids of the category's ancestors and the category itself, root first. */
    categoryPath: z.array(id).min(1),
    /** Lowest variant price per region, in the region currency's minor units (us USD cents, eu EUR cents, ap yen). */
    prices: z.object({ us: minorUnits, eu: minorUnits, ap: minorUnits }),
    /** Average rating 0–5 (0 when unrated). */
    rating: z.number().min(0).max(5),
    ratingCount: z.number().int().nonnegative(),
    /** Whether any variant can be bought now. */
    available: z.boolean(),
    createdAt: z.iso.datetime({ offset: true }),
    /** Attribute values of the variants ("Red", "XL", "256 GB"), matched by text queries. */
    attributes: z.array(z.string()),
  })
  .refine((doc) => doc.categoryPath.includes(doc.categoryId), {
    path: ['categoryPath'],
    message: 'must include categoryId',
  });

export type ProductDocument = z.infer<typeof productDocumentSchema>;

/** Deepest result reachable by offset paging (OpenSearch's index.max_result_window). */
export const MAX_RESULT_WINDOW = 10_000;

export interface ProductSearchQuery {
  /**
   * Free text. Matches a product when every word (after English analysis: lower case, stop
   * words such as "the" dropped, plurals and other suffixes stemmed) occurs as a word in its
   * title, description, brand or variant attributes. Blank text is the same as none.
   */
  text?: string;
  /** Products in this category or any category below it. */
  categoryId?: string;
  /** Exact brand name. */
  brand?: string;
  /** Inclusive bounds on the product's lowest price in `region`, in that region's minor units. */
  minPrice?: number;
  maxPrice?: number;
  /** Whose prices `minPrice`/`maxPrice` mean. */
  region: Region;
  /** true: only products that can be bought now; false or absent: no availability filter. */
  inStock?: boolean;
  limit: number;
  /** offset + limit may not exceed MAX_RESULT_WINDOW (deeper pages: a cursor, in the search issue). */
  offset: number;
}

export interface ProductHit {
  productId: string;
  /** Relevance, engine specific: compare only within one result (0 when there is no text). */
  score: number;
}

export interface ProductSearchResult {
  /** Every match, not just this page. */
  total: number;
  /** Best first; equal scores in productId order, so pages never overlap. */
  hits: ProductHit[];
}

/** A document the index refused, and why. */
export interface IndexFailure {
  productId: string;
  reason: string;
}

export interface SearchIndexHealth {
  up: boolean;
  detail: string;
}

/**
 * The product search port: keeps the product documents and answers search queries.
 *
 * Semantics every adapter keeps (checked by `productIndexContract` in @mercato/testing):
 * - `upsertMany` replaces whole documents by productId; an invalid document is reported in the
 *   returned failures and the others are still indexed; `deleteMany` ignores unknown ids;
 * - writes become visible to `count` and `search` after `refresh()` (at the latest; an
 *   embedded adapter may show them at once);
 * - `search` filters are ANDed with the text match; hits come best first, ties by productId.
 *
 * Lifecycle: `init()` creates what is missing (it never throws because the engine is away:
 * it logs and keeps trying, and `health()` says what is wrong); `close()` releases the client.
 * Facets, suggestions, spelling and ranking signals extend the query and result types later.
 */
export abstract class ProductIndex {
  /** Connects and creates the index if missing; never throws for an unreachable engine. */
  abstract init(): Promise<void>;

  /** Creates the index (and its template and mappings) if missing; throws when it cannot. */
  abstract ensureIndex(): Promise<void>;

  abstract upsertMany(docs: readonly ProductDocument[]): Promise<IndexFailure[]>;

  abstract deleteMany(productIds: readonly string[]): Promise<IndexFailure[]>;

  /** Makes every write so far visible to `count` and `search`. */
  abstract refresh(): Promise<void>;

  abstract count(): Promise<number>;

  abstract search(query: ProductSearchQuery): Promise<ProductSearchResult>;

  abstract health(): Promise<SearchIndexHealth>;

  /** Deletes the index and its template (tests, full rebuilds). */
  abstract drop(): Promise<void>;

  abstract close(): Promise<void>;
}

/** Splits documents into valid ones and failures, with the same reasons on every adapter. */
export function validateDocuments(docs: readonly ProductDocument[]): {
  valid: ProductDocument[];
  failures: IndexFailure[];
} {
  const valid: ProductDocument[] = [];
  const failures: IndexFailure[] = [];
  for (const doc of docs) {
    const parsed = productDocumentSchema.safeParse(doc);
    if (parsed.success) {
      valid.push(parsed.data);
    } else {
      const productId =
        typeof (doc as { productId?: unknown })?.productId === 'string'
          ? doc.productId
          : '(no productId)';
      const reason = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'document'}: ${issue.message}`)
        .join('; ');
      failures.push({ productId, reason: `invalid document: ${reason}` });
    }
  }
  return { valid, failures };
}

/** Throws a RangeError for a query no adapter can answer; returns the trimmed text, if any. */
export function checkQuery(query: ProductSearchQuery): string | undefined {
  const { limit, offset, minPrice, maxPrice, region } = query;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit ${limit} is not >= 0`);
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset ${offset} is not >= 0`);
  if (offset + limit > MAX_RESULT_WINDOW) {
    throw new RangeError(`offset + limit may not exceed ${MAX_RESULT_WINDOW}`);
  }
  if (!(REGIONS as readonly string[]).includes(region)) {
    throw new RangeError(`unknown region "${region}"`);
  }
  for (const [name, value] of [
    ['minPrice', minPrice],
    ['maxPrice', maxPrice],
  ] as const) {
    if (value !== undefined && !Number.isFinite(value)) {
      throw new RangeError(`${name} ${value} is not a number`);
    }
  }
  const text = query.text?.trim();
  return text ? text : undefined;
}
