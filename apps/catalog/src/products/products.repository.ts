import { Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { BrowseSort, Money, Region } from '@mercato/contracts';
import type { DemoProduct } from '@mercato/demo-data';
import { PRODUCT_INDEXES, TableNames } from '@mercato/persistence';
import { CatalogErrorCode, CatalogException } from '../catalog.exception';

/** Sort key of the meta item; listing items (`#listing#…`) sort before it, variants after. */
export const PRODUCT_META_SK = '#product';
export const LISTING_SK_PREFIX = '#listing#';
export const ALL_LISTING = 'c#all';
export const categoryListing = (categoryId: string): string => `c#${categoryId}`;
export const brandListing = (brand: string): string => `b#${brand}`;

const PRICE_ATTRIBUTE: Record<Region, 'priceUs' | 'priceEu' | 'priceAp'> = {
  us: 'priceUs',
  eu: 'priceEu',
  ap: 'priceAp',
};
const PRICE_INDEX: Record<Region, string> = {
  us: PRODUCT_INDEXES.priceUs,
  eu: PRODUCT_INDEXES.priceEu,
  ap: PRODUCT_INDEXES.priceAp,
};

/** Rating sort key: average (one decimal) first, then the number of ratings. */
export const ratingScore = (average: number, count: number): number =>
  Math.round(average * 10) * 1_000_000 + Math.min(count, 999_999);

export interface ProductMetaItem {
  productId: string;
  variantId: typeof PRODUCT_META_SK;
  title: string;
  description: string;
  brand: string;
  categoryId: string;
  images: string[];
  specs: Record<string, string>;
  ratingAverage: number;
  ratingCount: number;
  createdAt: string;
  revision: number;
}

export interface VariantItem {
  productId: string;
  variantId: string;
  position: number;
  sku: string;
  attributes: Record<string, string>;
  prices: Record<Region, Money>;
}

export interface ListingItem {
  productId: string;
  variantId: string;
  listKey: string;
  priceUs: number;
  priceEu: number;
  priceAp: number;
  createdAt: string;
  ratingScore: number;
  rating: number;
  title: string;
  brand: string;
  categoryId: string;
  imageUrl: string;
}

export interface StoredProduct {
  meta: ProductMetaItem;
  variants: VariantItem[];
}

export interface ListingQuery {
  region: Region;
  /** Listing key to read: `c#<categoryId>`, `c#all` or `b#<brand>`. */
  listKey: string;
  /** Extra brand filter (when reading a category listing). */
  brand?: string;
  minPrice?: number;
  maxPrice?: number;
  sort: BrowseSort;
  limit: number;
  cursor?: string;
}

export interface ListingPage {
  items: ListingItem[];
  nextCursor: string | null;
}

/** Items evaluated per browse request at most; a sparse filter returns a short page with a cursor. */
const MAX_EVALUATED = 5_000;
const FILTERED_PAGE = 250;

/**
 * All Products-table I/O of the catalog. Item layout per product (partition `productId`):
 * `#listing#<listKey>` items (one per ancestor category, `c#all` and the brand) carrying the
 * browse summary and the GSI keys, one `#product` meta item, then one item per variant.
 */
@Injectable()
export class ProductsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /** The items that store `product` (deterministic: writing them twice changes nothing). */
  itemsFor(product: DemoProduct): Record<string, unknown>[] {
    const lowest = (region: Region) =>
      Math.min(...product.variants.map((v) => v.prices[region].amount));
    const meta: ProductMetaItem = {
      productId: product.productId,
      variantId: PRODUCT_META_SK,
      title: product.title,
      description: product.description,
      brand: product.brand,
      categoryId: product.categoryId,
      images: product.images,
      specs: product.specs,
      ratingAverage: product.rating.average,
      ratingCount: product.rating.count,
      createdAt: product.createdAt,
      revision: 1,
    };
    const variants: VariantItem[] = product.variants.map((v, position) => ({
      productId: product.productId,
      variantId: v.variantId,
      position,
      sku: v.sku,
      attributes: v.attributes,
      prices: v.prices,
    }));
    const summary = {
      priceUs: lowest('us'),
      priceEu: lowest('eu'),
      priceAp: lowest('ap'),
      createdAt: product.createdAt,
      ratingScore: ratingScore(product.rating.average, product.rating.count),
      rating: product.rating.average,
      title: product.title,
      brand: product.brand,
      categoryId: product.categoryId,
      imageUrl: product.images[0] ?? '',
    };
    const listKeys = [
      ALL_LISTING,
      ...product.categoryPath.map(categoryListing),
      brandListing(product.brand),
    ];
    const listings: ListingItem[] = listKeys.map((listKey) => ({
      productId: product.productId,
      variantId: `${LISTING_SK_PREFIX}${listKey}`,
      listKey,
      ...summary,
    }));
    return [...listings, meta, ...variants] as unknown as Record<string, unknown>[];
  }

  /** Meta and variants of one product in one Query (listing items are outside the SK range). */
  async findProduct(productId: string): Promise<StoredProduct | undefined> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.products,
          KeyConditionExpression: 'productId = :p AND variantId >= :meta',
          ExpressionAttributeValues: { ':p': productId, ':meta': PRODUCT_META_SK },
          ExclusiveStartKey,
        }),
      );
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const meta = items.find((i) => i.variantId === PRODUCT_META_SK) as ProductMetaItem | undefined;
    if (!meta) return undefined;
    const variants = (
      items.filter((i) => i.variantId !== PRODUCT_META_SK) as unknown as VariantItem[]
    ).sort((a, b) => a.position - b.position);
    return { meta, variants };
  }

  /**
   * One page of a listing, in the requested order, always through a GSI Query (never a Scan).
   * A price range on a price sort is part of the key condition; otherwise it and the brand are
   * filters, and further pages are read until the page is full.
   */
  async browse(query: ListingQuery): Promise<ListingPage> {
    const priceAttribute = PRICE_ATTRIBUTE[query.region];
    const byPrice = query.sort === 'price_asc' || query.sort === 'price_desc';
    const indexName = byPrice
      ? PRICE_INDEX[query.region]
      : query.sort === 'newest'
        ? PRODUCT_INDEXES.newest
        : PRODUCT_INDEXES.rating;
    const sortAttribute = byPrice
      ? priceAttribute
      : query.sort === 'newest'
        ? 'createdAt'
        : 'ratingScore';

    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':lk': query.listKey };
    let keyCondition = 'listKey = :lk';
    const filters: string[] = [];
    const priceCondition = (): string | undefined => {
      const { minPrice, maxPrice } = query;
      if (minPrice === undefined && maxPrice === undefined) return undefined;
      names['#price'] = priceAttribute;
      if (minPrice !== undefined) values[':min'] = minPrice;
      if (maxPrice !== undefined) values[':max'] = maxPrice;
      if (minPrice !== undefined && maxPrice !== undefined) return '#price BETWEEN :min AND :max';
      return minPrice !== undefined ? '#price >= :min' : '#price <= :max';
    };
    const price = priceCondition();
    if (price && byPrice) keyCondition += ` AND ${price}`;
    else if (price) filters.push(price);
    if (query.brand !== undefined) {
      names['#brand'] = 'brand';
      values[':brand'] = query.brand;
      filters.push('#brand = :brand');
    }

    let startKey = query.cursor
      ? this.decodeCursor(query.cursor, indexName, query.listKey)
      : undefined;
    const want = query.limit + 1;
    const found: ListingItem[] = [];
    let evaluated = 0;
    do {
      const input: QueryCommandInput = {
        TableName: this.tables.products,
        IndexName: indexName,
        KeyConditionExpression: keyCondition,
        FilterExpression: filters.length ? filters.join(' AND ') : undefined,
        ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
        ExpressionAttributeValues: values,
        ScanIndexForward: query.sort === 'price_asc',
        ExclusiveStartKey: startKey,
        Limit: filters.length ? FILTERED_PAGE : want - found.length,
      };
      const out = await this.doc.send(new QueryCommand(input));
      found.push(...((out.Items ?? []) as ListingItem[]));
      evaluated += out.ScannedCount ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (found.length < want && startKey && evaluated < MAX_EVALUATED);

    if (found.length > query.limit) {
      const items = found.slice(0, query.limit);
      const last = items[items.length - 1];
      const key = {
        productId: last.productId,
        variantId: last.variantId,
        listKey: last.listKey,
        [sortAttribute]: last[sortAttribute as keyof ListingItem],
      };
      return { items, nextCursor: this.encodeCursor(indexName, key) };
    }
    return { items: found, nextCursor: startKey ? this.encodeCursor(indexName, startKey) : null };
  }

  private encodeCursor(indexName: string, key: Record<string, unknown>): string {
    return Buffer.from(JSON.stringify({ i: indexName, k: key })).toString('base64url');
  }

  private decodeCursor(
    cursor: string,
    indexName: string,
    listKey: string,
  ): Record<string, unknown> {
    try {
      const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
        i?: unknown;
        k?: Record<string, unknown>;
      };
      const key = parsed.k;
      if (
        parsed.i === indexName &&
        key &&
        key.listKey === listKey &&
        typeof key.productId === 'string' &&
        typeof key.variantId === 'string'
      ) {
        return key;
      }
    } catch {
      // fall through
    }
    throw new CatalogException(
      CatalogErrorCode.InvalidCursor,
      'The cursor does not belong to this query (it only works with the same category, brand and sort)',
    );
  }
}
