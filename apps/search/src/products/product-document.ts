import { REGIONS, type ProductDetail, type Region, type SkuAvailability } from '@mercato/contracts';
import type { ProductDocument } from '@mercato/search-index';

/** A product's detail per region; undefined where the product is not sold. */
export type DetailsByRegion = Readonly<Record<Region, ProductDetail | undefined>>;

export type DocumentOutcome =
  { indexable: true; document: ProductDocument } | { indexable: false; reason: string };

/**
 * The search document of a product, from its detail in every region and its SKUs' stock.
 *
 * The document holds one lowest price per region and cannot say "not sold here", so a product
 * missing from any region (or without variants) is not indexable: the caller removes it from the
 * index. A product sold in some regions only is therefore not searchable yet (docs/search.md).
 * `available` is one flag for all regions: any SKU with stock in any region.
 */
export function productDocumentOf(
  details: DetailsByRegion,
  availability: readonly SkuAvailability[],
): DocumentOutcome {
  const missing = REGIONS.filter((region) => details[region] === undefined);
  if (missing.length > 0) {
    return { indexable: false, reason: `not sold in ${missing.join(', ')}` };
  }
  const sold = details as Readonly<Record<Region, ProductDetail>>;
  if (REGIONS.some((region) => sold[region].variants.length === 0)) {
    return { indexable: false, reason: 'no variant priced in every region' };
  }
  const product = sold.us;
  const { categoryId } = product.category;
  const path = product.category.path.map((node) => node.categoryId);
  const categoryPath = path.at(-1) === categoryId ? path : [...path, categoryId];
  const lowest = (region: Region) =>
    Math.min(...sold[region].variants.map((variant) => variant.price.amount));
  const attributes = new Set(
    REGIONS.flatMap((region) =>
      sold[region].variants.flatMap((variant) => Object.values(variant.attributes)),
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
      prices: { us: lowest('us'), eu: lowest('eu'), ap: lowest('ap') },
      rating: product.rating.average,
      ratingCount: product.rating.count,
      available: availability.some((item) => item.available > 0),
      createdAt: product.createdAt,
      attributes: [...attributes],
    },
  };
}

/** Every SKU the product sells in any region, each once. */
export function skusOf(details: DetailsByRegion): string[] {
  const skus = new Set<string>();
  for (const region of REGIONS) {
    for (const variant of details[region]?.variants ?? []) skus.add(variant.sku);
  }
  return [...skus];
}
