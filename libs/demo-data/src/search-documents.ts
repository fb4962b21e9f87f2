import { REGIONS, type Region } from '@mercato/contracts';
import { DEMO_CATEGORY_BY_ID } from './categories';
import { generateCatalog, type DemoProduct } from './catalog-generator';
import type { ProductDocument } from '@mercato/search-index';

/**
 * The demo catalog (seed 42 unless told) as search documents, built as the search service
 * builds them (apps/search product-document.ts): lowest variant price per region, in stock
 * where a warehouse of the region has units, the category names of the path, every variant's
 * attribute values, spec lines. The demo has no sales: popularity and velocity are 0. For specs
 * and benchmarks that need a realistic vocabulary at scale.
 */
export function demoSearchDocuments(products: number, seed = 42): ProductDocument[] {
  return [...generateCatalog({ seed, products })].map(demoSearchDocument);
}

/** One demo product as its search document (see `demoSearchDocuments`). */
export function demoSearchDocument(product: DemoProduct): ProductDocument {
  const lowest = (region: Region) =>
    Math.min(...product.variants.map((variant) => variant.prices[region].amount));
  return {
    productId: product.productId,
    title: product.title,
    description: product.description,
    brand: product.brand,
    categoryId: product.categoryId,
    categoryPath: product.categoryPath,
    categoryNames: product.categoryPath.map((id) => DEMO_CATEGORY_BY_ID.get(id)?.name ?? id),
    prices: { us: lowest('us'), eu: lowest('eu'), ap: lowest('ap') },
    inStockRegions: REGIONS.filter((region) =>
      product.variants.some((variant) =>
        Object.entries(variant.stock).some(
          ([warehouse, units]) => warehouse.startsWith(region) && units > 0,
        ),
      ),
    ),
    rating: product.rating.average,
    ratingCount: product.rating.count,
    popularity: 0,
    salesVelocity: 0,
    createdAt: product.createdAt,
    attributes: [
      ...new Set(product.variants.flatMap((variant) => Object.values(variant.attributes))),
    ],
    specs: Object.entries(product.specs).map(([key, value]) => specLine(key, value)),
  };
}

/** The search service's spec line (apps/search specLine): "RAM 16 GB 16GB". */
function specLine(key: string, value: string): string {
  const joined = value.replace(/(\d)\s+([a-z]{1,3})\b/gi, '$1$2');
  return joined === value ? `${key} ${value}` : `${key} ${value} ${joined}`;
}
