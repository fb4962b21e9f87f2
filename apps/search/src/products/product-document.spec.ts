import type { ProductDetail, Region, SkuAvailability } from '@mercato/contracts';
import { productDocumentOf, skusOf, specLine } from './product-document';

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
    specs: { Material: 'Leather', Weight: '1.2 kg' },
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

const signals = { popularity: 120, salesVelocity: 2.5 };

describe('productDocumentOf', () => {
  it('indexes a product sold in every region with its lowest variant price per region', () => {
    const outcome = productDocumentOf(
      soldEverywhere,
      { us: [stock('BOOT-40', 3)], eu: [stock('BOOT-41', 1)], ap: [] },
      signals,
    );
    expect(outcome).toEqual({
      indexable: true,
      document: {
        productId: 'p-boot',
        title: 'Trailhead Boot',
        description: 'Waterproof leather boot.',
        brand: 'Northwind',
        categoryId: 'boots',
        categoryPath: ['shoes', 'boots'],
        categoryNames: ['Shoes', 'Boots'],
        prices: { us: 11_900, eu: 11_900, ap: 19_800 },
        inStockRegions: ['us', 'eu'],
        rating: 4.5,
        ratingCount: 12,
        popularity: 120,
        salesVelocity: 2.5,
        createdAt: '2026-11-01T10:00:00.000Z',
        attributes: ['40', 'Brown', '41'],
        specs: ['Material Leather', 'Weight 1.2 kg 1.2kg'],
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
    const outcome = productDocumentOf(shortPath, {}, signals);
    expect(outcome.indexable && outcome.document.categoryPath).toEqual(['shoes', 'boots']);
    expect(outcome.indexable && outcome.document.categoryNames).toEqual(['Shoes', 'Boots']);
  });

  it('is in stock in a region when a SKU sold there has stock there', () => {
    const outcome = productDocumentOf(
      soldEverywhere,
      {
        us: [stock('BOOT-40', 0), stock('BOOT-41', 0)],
        eu: [stock('BOOT-40', 0), stock('BOOT-41', 2)],
        // A SKU the product does not sell in ap counts for nothing there.
        ap: [stock('OTHER-1', 9)],
      },
      signals,
    );
    expect(outcome.indexable && outcome.document.inStockRegions).toEqual(['eu']);
  });

  it('indexes a product sold in some regions only, priced only there', () => {
    const outcome = productDocumentOf(
      { ...soldEverywhere, us: undefined, ap: { ...soldEverywhere.ap, variants: [] } },
      { eu: [stock('BOOT-40', 1)] },
      signals,
    );
    expect(outcome.indexable && outcome.document.prices).toEqual({ eu: 11_900 });
    expect(outcome.indexable && outcome.document.inStockRegions).toEqual(['eu']);
  });

  it('does not index a product sold nowhere', () => {
    const noVariants = { ...soldEverywhere, ap: { ...soldEverywhere.ap, variants: [] } };
    expect(productDocumentOf({ ...noVariants, us: undefined, eu: undefined }, {}, signals)).toEqual(
      { indexable: false, reason: 'not sold in any region' },
    );
  });
});

describe('specLine', () => {
  it('keeps the key and writes a number and its unit joined too, as shoppers type it', () => {
    expect(specLine('RAM', '16 GB')).toBe('RAM 16 GB 16GB');
    expect(specLine('Material', 'Stainless steel')).toBe('Material Stainless steel');
    expect(specLine('Battery', '30 hours')).toBe('Battery 30 hours');
  });
});

describe('skusOf', () => {
  it('lists every SKU sold in the region once', () => {
    expect(skusOf(soldEverywhere, 'us')).toEqual(['BOOT-40', 'BOOT-41']);
    expect(skusOf({ ...soldEverywhere, eu: undefined }, 'eu')).toEqual([]);
  });
});
