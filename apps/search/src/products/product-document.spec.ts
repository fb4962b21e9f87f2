import type { ProductDetail, Region, SkuAvailability } from '@mercato/contracts';
import { productDocumentOf, skusOf } from './product-document';

const CURRENCY = { us: 'USD', eu: 'EUR', ap: 'JPY' } as const;

/** A boot sold with two sizes; each region's prices given as [size 40, size 41]. */
function boot(region: Region, amounts: [number, number]): ProductDetail {
  return {
    productId: 'p-boot',
    title: 'Trailhead Boot',
    description: 'Waterproof leather boot.',
    brand: 'Northwind',
    category: {
      categoryId: 'boots',
      name: 'Boots',
      path: [
        { categoryId: 'shoes', name: 'Shoes' },
        { categoryId: 'boots', name: 'Boots' },
      ],
    },
    images: [],
    specs: {},
    rating: { average: 4.5, count: 12 },
    region,
    variants: amounts.map((amount, i) => ({
      variantId: `v${i}`,
      sku: `BOOT-${40 + i}`,
      attributes: { size: String(40 + i), colour: 'Brown' },
      price: { amount, currency: CURRENCY[region] },
    })),
    createdAt: '2026-11-01T10:00:00.000Z',
  };
}

const soldEverywhere = {
  us: boot('us', [12_900, 11_900]),
  eu: boot('eu', [11_900, 12_500]),
  ap: boot('ap', [19_800, 19_800]),
};

const stock = (sku: string, available: number): SkuAvailability => ({
  sku,
  available,
  warehouses: [],
});

describe('productDocumentOf', () => {
  it('indexes a product sold in every region with its lowest variant price per region', () => {
    const outcome = productDocumentOf(soldEverywhere, [stock('BOOT-40', 3)]);
    expect(outcome).toEqual({
      indexable: true,
      document: {
        productId: 'p-boot',
        title: 'Trailhead Boot',
        description: 'Waterproof leather boot.',
        brand: 'Northwind',
        categoryId: 'boots',
        categoryPath: ['shoes', 'boots'],
        prices: { us: 11_900, eu: 11_900, ap: 19_800 },
        rating: 4.5,
        ratingCount: 12,
        available: true,
        createdAt: '2026-11-01T10:00:00.000Z',
        attributes: ['40', 'Brown', '41'],
      },
    });
  });

  it('ends the category path with the product’s own category when catalog leaves it out', () => {
    const shortPath = {
      ...soldEverywhere,
      us: {
        ...soldEverywhere.us,
        category: { ...soldEverywhere.us.category, path: [{ categoryId: 'shoes', name: 'Shoes' }] },
      },
    };
    const outcome = productDocumentOf(shortPath, []);
    expect(outcome.indexable && outcome.document.categoryPath).toEqual(['shoes', 'boots']);
  });

  it('is available when any SKU has stock in any region, and not when none has', () => {
    const someStock = productDocumentOf(soldEverywhere, [
      stock('BOOT-40', 0),
      stock('BOOT-41', 0),
      stock('BOOT-41', 2),
    ]);
    const noStock = productDocumentOf(soldEverywhere, [stock('BOOT-40', 0), stock('BOOT-41', 0)]);
    expect(someStock.indexable && someStock.document.available).toBe(true);
    expect(noStock.indexable && noStock.document.available).toBe(false);
  });

  it('does not index a product missing from a region, saying which', () => {
    expect(productDocumentOf({ ...soldEverywhere, eu: undefined, ap: undefined }, [])).toEqual({
      indexable: false,
      reason: 'not sold in eu, ap',
    });
  });

  it('does not index a product without variants', () => {
    const noVariants = { ...soldEverywhere, ap: { ...soldEverywhere.ap, variants: [] } };
    expect(productDocumentOf(noVariants, []).indexable).toBe(false);
  });
});

describe('skusOf', () => {
  it('lists every SKU sold in any region once', () => {
    expect(skusOf({ ...soldEverywhere, eu: undefined })).toEqual(['BOOT-40', 'BOOT-41']);
  });
});
