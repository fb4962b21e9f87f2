import { Injectable } from '@nestjs/common';
import {
  REGION_CURRENCY,
  type BrowseSort,
  type ProductDetail,
  type ProductSummary,
  type Region,
} from '@mercato/contracts';
import { LRUCache } from 'lru-cache';
import { CatalogErrorCode, CatalogException } from '../catalog.exception';
import { CategoriesService } from '../categories/categories.service';
import {
  ALL_LISTING,
  brandListing,
  categoryListing,
  ProductsRepository,
  type ListingItem,
  type StoredProduct,
} from './products.repository';

export interface BrowseQuery {
  region: Region;
  category?: string;
  brand?: string;
  minPrice?: number;
  maxPrice?: number;
  sort?: BrowseSort;
  limit: number;
  cursor?: string;
}

/** Best rated first when the caller does not ask for an order. */
export const DEFAULT_BROWSE_SORT: BrowseSort = 'rating';

const PRICE_OF: Record<Region, (item: ListingItem) => number> = {
  us: (i) => i.priceUs,
  eu: (i) => i.priceEu,
  ap: (i) => i.priceAp,
};

@Injectable()
export class ProductsService {
  /**
   * Products as stored (all regions), kept in memory after the first read: detail is the
   * hottest read and catalog is the only writer of its table, so whoever writes a product
   * calls `forget` (the seeder does). Misses are not cached, so a new product shows at once.
   */
  private readonly stored = new LRUCache<string, StoredProduct>({ max: 20_000 });

  constructor(
    private readonly products: ProductsRepository,
    private readonly categories: CategoriesService,
  ) {}

  /** Drops cached products after a write; no ids drops everything. */
  forget(productIds?: string[]): void {
    if (!productIds) this.stored.clear();
    else for (const id of productIds) this.stored.delete(id);
  }

  /**
   * A page of products: `category` includes its descendants (each product is listed under every
   * ancestor). A category browse filters by brand; a brand-only browse reads the brand listing.
   */
  async browse(
    query: BrowseQuery,
  ): Promise<{ items: ProductSummary[]; nextCursor: string | null }> {
    if (query.category !== undefined && !(await this.categories.find(query.category))) {
      throw new CatalogException(
        CatalogErrorCode.CategoryNotFound,
        `Unknown category ${query.category}`,
      );
    }
    if (
      query.minPrice !== undefined &&
      query.maxPrice !== undefined &&
      query.minPrice > query.maxPrice
    ) {
      return { items: [], nextCursor: null };
    }
    const listKey =
      query.category !== undefined
        ? categoryListing(query.category)
        : query.brand !== undefined
          ? brandListing(query.brand)
          : ALL_LISTING;
    const page = await this.products.browse({
      region: query.region,
      listKey,
      brand: query.category !== undefined ? query.brand : undefined,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      sort: query.sort ?? DEFAULT_BROWSE_SORT,
      limit: query.limit,
      cursor: query.cursor,
    });
    const currency = REGION_CURRENCY[query.region];
    const priceOf = PRICE_OF[query.region];
    return {
      items: page.items.map((item) => ({
        productId: item.productId,
        title: item.title,
        brand: item.brand,
        categoryId: item.categoryId,
        price: { amount: priceOf(item), currency },
        rating: item.rating,
        imageUrl: item.imageUrl,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** Product detail with the region's prices. */
  async get(productId: string, region: Region): Promise<ProductDetail> {
    const stored = this.stored.get(productId) ?? (await this.products.findProduct(productId));
    if (stored) this.stored.set(productId, stored);
    if (!stored) {
      throw new CatalogException(
        CatalogErrorCode.ProductNotFound,
        `Product ${productId} does not exist`,
      );
    }
    const { meta, variants } = stored;
    const path = await this.categories.pathOf(meta.categoryId);
    const leaf = path[path.length - 1];
    return {
      productId: meta.productId,
      title: meta.title,
      description: meta.description,
      brand: meta.brand,
      category: {
        categoryId: meta.categoryId,
        name: leaf?.name ?? meta.categoryId,
        path: path.map((c) => ({ categoryId: c.categoryId, name: c.name })),
      },
      images: meta.images,
      specs: meta.specs,
      rating: { average: meta.ratingAverage, count: meta.ratingCount },
      region,
      variants: variants.map((v) => ({
        variantId: v.variantId,
        sku: v.sku,
        attributes: v.attributes,
        price: v.prices[region],
      })),
      createdAt: meta.createdAt,
    };
  }
}
