import { generateCatalog, generateProduct } from './catalog-generator';
import {
  DEMO_BRANDS,
  DEMO_CATEGORIES,
  DEMO_CATEGORY_BY_ID,
  DEMO_LEAF_CATEGORIES,
} from './categories';

const take = (seed: number, products: number) => [...generateCatalog({ seed, products })];

describe('generateCatalog', () => {
  it('gives identical products for the same seed and count', () => {
    expect(JSON.stringify(take(42, 200))).toBe(JSON.stringify(take(42, 200)));
  });

  it('gives other products for another seed', () => {
    expect(take(7, 20).map((p) => p.title)).not.toEqual(take(42, 20).map((p) => p.title));
  });

  it('builds product n independently of the ones before it', () => {
    expect(generateProduct(42, 150)).toEqual(take(42, 151)[150]);
  });

  it('yields products lazily, one at a time', () => {
    const iterator = generateCatalog({ seed: 1, products: 1_000_000 });
    expect(iterator.next().value?.productId).toBe('p-000001');
  });

  it('gives every product a believable, complete shape', () => {
    for (const product of take(42, 500)) {
      expect(product.title.startsWith(product.brand)).toBe(true);
      expect(product.title.split(' ').length).toBeGreaterThanOrEqual(4);
      expect(DEMO_BRANDS).toContain(product.brand);
      const leaf = DEMO_CATEGORY_BY_ID.get(product.categoryId)!;
      expect(leaf.children).toHaveLength(0);
      expect(product.categoryPath).toEqual(leaf.path);
      expect(product.variants.length).toBeGreaterThanOrEqual(1);
      expect(product.variants.length).toBeLessThanOrEqual(5);
      expect(product.images[0]).toBe(`https://images.mercato.example/p/${product.productId}/1.jpg`);
      expect(Object.keys(product.specs).length).toBeGreaterThan(0);
      expect(product.rating.average).toBeGreaterThanOrEqual(0);
      expect(product.rating.average).toBeLessThanOrEqual(5);
      expect(Math.round(product.rating.average * 10)).toBeCloseTo(product.rating.average * 10, 6);
      expect(Number.isNaN(Date.parse(product.createdAt))).toBe(false);
      for (const variant of product.variants) {
        expect(Object.keys(variant.attributes).length).toBeGreaterThan(0);
        expect(variant.prices.us.currency).toBe('USD');
        expect(variant.prices.eu.currency).toBe('EUR');
        expect(variant.prices.ap.currency).toBe('JPY');
        for (const price of Object.values(variant.prices)) {
          expect(Number.isInteger(price.amount)).toBe(true);
          expect(price.amount).toBeGreaterThan(0);
        }
        expect(Object.keys(variant.stock).sort()).toEqual(['ap-south', 'eu-west', 'us-east']);
      }
    }
  });

  it('prices in whole yen ending in 0 for the ap region', () => {
    for (const product of take(42, 500)) {
      for (const variant of product.variants) expect(variant.prices.ap.amount % 10).toBe(0);
    }
  });

  it('gives every SKU and variant id once', () => {
    const variants = take(42, 3_000).flatMap((p) => p.variants);
    expect(new Set(variants.map((v) => v.sku)).size).toBe(variants.length);
    expect(new Set(variants.map((v) => v.variantId)).size).toBe(variants.length);
  });

  it('leaves some warehouses out of stock', () => {
    const stock = take(42, 300).flatMap((p) => p.variants.flatMap((v) => Object.values(v.stock)));
    expect(stock.some((n) => n === 0)).toBe(true);
    expect(stock.some((n) => n > 0)).toBe(true);
  });

  it('spreads createdAt over the last two years', () => {
    const times = take(42, 1_000).map((p) => Date.parse(p.createdAt));
    const spanDays = (Math.max(...times) - Math.min(...times)) / 86_400_000;
    expect(spanDays).toBeGreaterThan(600);
    expect(spanDays).toBeLessThanOrEqual(730);
  });
});

describe('demo category tree', () => {
  it('is at least three levels deep with around a hundred leaves', () => {
    const depth = Math.max(...DEMO_LEAF_CATEGORIES.map((c) => c.depth));
    expect(depth).toBeGreaterThanOrEqual(3);
    expect(DEMO_LEAF_CATEGORIES.every((c) => c.depth >= 3)).toBe(true);
    expect(DEMO_LEAF_CATEGORIES.length).toBeGreaterThanOrEqual(80);
    expect(DEMO_LEAF_CATEGORIES.length).toBeLessThanOrEqual(130);
    expect(DEMO_CATEGORIES.length).toBeGreaterThanOrEqual(6);
  });

  it('has about forty brands', () => {
    expect(new Set(DEMO_BRANDS).size).toBeGreaterThanOrEqual(35);
  });

  it('puts products in many leaf categories', () => {
    expect(new Set(take(42, 2_000).map((p) => p.categoryId)).size).toBeGreaterThan(80);
  });
});
