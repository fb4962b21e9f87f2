import { REGIONS, type ProductDetail, type Region, type SkuAvailability } from '@mercato/contracts';
import type { ProductDocument } from '@mercato/search-index';

/** A product's detail per region; undefined where the product is not sold. */
export type DetailsByRegion = Readonly<Record<Region, ProductDetail | undefined>>;

/** The stock of the product's SKUs per region it is sold in (one entry per SKU). */
export type AvailabilityByRegion = Readonly<Partial<Record<Region, readonly SkuAvailability[]>>>;

/** What sales say about a product (the sales-signals store). */
export interface SalesSignals {
  /** Units sold, all time. */
  popularity: number;
  /** Recent units sold per day. */
  salesVelocity: number;
}

export type DocumentOutcome =
  { indexable: true; document: ProductDocument } | { indexable: false; reason: string };

/**
 * The search document of a product, from its detail in every region, its SKUs' stock per region
 * and its sales signals.
 *
 * A product is sold in the regions where catalog answers a detail with variants, and priced
 * there at its lowest variant price; one sold nowhere is not indexable (the caller removes it
 * from the index). It is in stock in a region when one of the SKUs sold there has stock there.
 */
export function productDocumentOf(
  details: DetailsByRegion,
  availability: AvailabilityByRegion,
  signals: SalesSignals,
): DocumentOutcome {
  const sold = REGIONS.flatMap((region) => {
    const detail = details[region];
    return detail && detail.variants.length > 0 ? [[region, detail] as const] : [];
  });
  if (sold.length === 0) return { indexable: false, reason: 'not sold in any region' };
  const [[, product]] = sold;
  const { categoryId, name } = product.category;
  const path = product.category.path;
  const ownAtEnd = path.at(-1)?.categoryId === categoryId;
  const categoryPath = [...path.map((node) => node.categoryId), ...(ownAtEnd ? [] : [categoryId])];
  const categoryNames = [...path.map((node) => node.name), ...(ownAtEnd ? [] : [name])];
  const prices: Partial<Record<Region, number>> = {};
  const inStockRegions: Region[] = [];
  for (const [region, detail] of sold) {
    prices[region] = Math.min(...detail.variants.map((variant) => variant.price.amount));
    const skus = new Set(detail.variants.map((variant) => variant.sku));
    const stock = availability[region] ?? [];
    if (stock.some((item) => skus.has(item.sku) && item.available > 0)) {
      inStockRegions.push(region);
    }
  }
  const attributes = new Set(
    sold.flatMap(([, detail]) =>
      detail.variants.flatMap((variant) => Object.values(variant.attributes)),
    ),
  );
  return {
    indexable: true,
    document: {
      productId: product.productId,
      title: product.title,
      description: product.description,
      brand: product.brand,
      categoryId,
      categoryPath,
      categoryNames,
      prices,
      inStockRegions,
      rating: product.rating.average,
      ratingCount: product.rating.count,
      popularity: signals.popularity,
      salesVelocity: signals.salesVelocity,
      createdAt: product.createdAt,
      attributes: [...attributes],
      specs: Object.entries(product.specs).map(([key, value]) => specLine(key, value)),
    },
  };
}

/**
 * A spec as text: "RAM 16 GB 16GB". The key stays because shoppers name it with the value
 * ("16 gb ram", "stainless steel material") and every query word must match somewhere, and
 * because it tells "16 GB" of memory from "16 GB" of storage when a shopper says which. A number
 * followed by a unit is also written joined, as shoppers type it: "16gb" is one word to both
 * engines' tokenizers, so "16gb laptop" would not match "16 GB" alone.
 */
export function specLine(key: string, value: string): string {
  const joined = value.replace(/(\d)\s+([a-z]{1,3})\b/gi, '$1$2');
  return joined === value ? `${key} ${value}` : `${key} ${value} ${joined}`;
}

/** Every SKU the product sells in the region, each once. */
export function skusOf(details: DetailsByRegion, region: Region): string[] {
  return [...new Set((details[region]?.variants ?? []).map((variant) => variant.sku))];
}
