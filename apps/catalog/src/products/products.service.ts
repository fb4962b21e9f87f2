import { Injectable } from '@nestjs/common';
import {
  foldedSku,
  REGION_CURRENCY,
  type BrowseSort,
  type ProductDetail,
  type ProductSummary,
  type Region,
} from '@mercato/contracts';
import { InjectConfig } from '@mercato/config';
import { LRUCache } from 'lru-cache';
import { catalogSettings } from '../catalog.config';
import { CatalogErrorCode, CatalogException } from '../catalog.exception';
import { CategoriesService } from '../categories/categories.service';
import { PromotionsService } from '../promotions/promotions.service';
import {
  ALL_LISTING,
  brandListing,
  categoryListing,
  ProductsRepository,
  type ListingItem,
  type StoredProduct,
} from './products.repository';
import { regionsSoldIn, variantsSoldIn } from './regional-variants';

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

/** A listing's price in the region (the browse query reads only listings priced there). */
const PRICE_OF: Record<Region, (item: ListingItem) => number | undefined> = {
  us: (i) => i.priceUs,
  eu: (i) => i.priceEu,
  ap: (i) => i.priceAp,
};

@Injectable()
export class ProductsService {
  /**
   * Products as stored (all regions), kept in memory after the first read: detail is the
   * hottest read. The writers of this replica call `forget` (the seeder and ProductWriter do);
   * a copy lives CATALOG_CACHE_TTL_MS at most, so another replica's writes show within that.
   * Misses are not cached, so a new product shows at once.
   */
  private readonly stored: LRUCache<string, StoredProduct>;
  /**
   * Which product sells a SKU (its claim), by folded SKU, as long as products. Only a hint:
   * `productSelling` checks the product still has the SKU and reads the claim again when not.
   */
  private readonly skuOwners: LRUCache<string, string>;

  constructor(
    private readonly products: ProductsRepository,
    private readonly categories: CategoriesService,
    private readonly promotions: PromotionsService,
    @InjectConfig() config: object,
  ) {
    const ttl = catalogSettings(config).CATALOG_CACHE_TTL_MS;
    this.stored = new LRUCache<string, StoredProduct>({ max: 20_000, ttl: Math.max(ttl, 1) });
    this.skuOwners = new LRUCache<string, string>({ max: 100_000, ttl: Math.max(ttl, 1) });
  }

  /**
   * The stored product (all regions), from memory when read within CATALOG_CACHE_TTL_MS. Only a
   * fresh read is stored: re-setting a cached entry would restart its TTL, and a product read
   * every second would then never see another replica's write.
   */
  async findStored(productId: string): Promise<StoredProduct | undefined> {
    let stored = this.stored.get(productId);
    if (!stored) {
      stored = await this.products.findProduct(productId);
      if (stored) this.stored.set(productId, stored);
    }
    return stored;
  }

  /**
   * The product that sells `sku` now, and its variant, or undefined. The claim is remembered
   * like products; a remembered owner that no longer has the SKU (it moved to another product)
   * is forgotten and the claim read again. Measured: a cart quote read two items per line
   * without these caches, ~45 ms per add to a 20-line cart on the embedded store.
   */
  async productSelling(
    sku: string,
  ): Promise<{ product: StoredProduct; variant: StoredProduct['variants'][number] } | undefined> {
    const key = foldedSku(sku);
    const remembered = this.skuOwners.get(key);
    const found = remembered === undefined ? undefined : await this.withVariant(remembered, key);
    if (found) return found;
    if (remembered !== undefined) this.skuOwners.delete(key);
    const owner = await this.products.findSkuOwner(sku);
    if (owner === undefined) return undefined;
    const fresh = await this.withVariant(owner, key);
    if (fresh) this.skuOwners.set(key, owner);
    return fresh;
  }

  private async withVariant(productId: string, folded: string) {
    const product = await this.findStored(productId);
    const variant = product?.variants.find((v) => foldedSku(v.sku) === folded);
    return product && variant ? { product, variant } : undefined;
  }

  /** Drops cached products after a write; no ids drops everything. */
  forget(productIds?: string[]): void {
    if (!productIds) {
      this.stored.clear();
      this.skuOwners.clear();
    } else for (const id of productIds) this.stored.delete(id);
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
      items: page.items.flatMap((item) => {
        const amount = priceOf(item);
        if (amount === undefined) return [];
        return [
          {
            productId: item.productId,
            title: item.title,
            brand: item.brand,
            categoryId: item.categoryId,
            price: { amount, currency },
            rating: item.rating,
            imageUrl: item.imageUrl,
          },
        ];
      }),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Product detail with the region's prices; a product without prices in the region is not
   * sold there (404 PRODUCT_NOT_SOLD_IN_REGION).
   */
  async get(productId: string, region: Region): Promise<ProductDetail> {
    // Only a fresh read is stored: re-setting a cached entry would restart its TTL, and a product
    // read every second would then never see another replica's write.
    const stored = await this.findStored(productId);
    if (!stored) {
      throw new CatalogException(
        CatalogErrorCode.ProductNotFound,
        `Product ${productId} does not exist`,
      );
    }
    const { meta } = stored;
    const sold = variantsSoldIn(stored.variants, region);
    if (sold.length === 0) {
      throw new CatalogException(
        CatalogErrorCode.ProductNotSoldInRegion,
        `Product ${productId} is not sold in region ${region}; it is sold in ${regionsSoldIn(stored.variants).join(', ')}`,
      );
    }
    const path = await this.categories.pathOf(meta.categoryId);
    const leaf = path[path.length - 1];
    // Automatic promotions are applied here, so every reader of detail sees the same price.
    const pricing = this.promotions.priceProduct(
      {
        productId: meta.productId,
        brand: meta.brand,
        categoryPath: path.map((c) => c.categoryId),
        variants: sold.map(({ variant, price }) => ({ sku: variant.sku, price })),
      },
      region,
    );
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
      variants: sold.map(({ variant: v }, n) => ({
        variantId: v.variantId,
        sku: v.sku,
        attributes: v.attributes,
        price: pricing.variants[n].price,
        listPrice: pricing.variants[n].listPrice,
        promotions: pricing.variants[n].promotions,
      })),
      createdAt: meta.createdAt,
      pricesValidUntil: pricing.pricesValidUntil,
    };
  }
}
