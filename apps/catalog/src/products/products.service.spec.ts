import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { generateCatalog, type DemoProduct } from '@mercato/demo-data';
import type { BrowseSort, ProductSummary, Region } from '@mercato/contracts';
import { startCatalogTestApp, type CatalogTestApp } from '../../test/support/catalog-test-app';
import { PRODUCT_META_SK, ProductsRepository } from './products.repository';
import { ProductsService, type BrowseQuery } from './products.service';
import { PRODUCTS_TABLE } from './products.tables';

const PRODUCTS = 300;
const catalog: DemoProduct[] = [...generateCatalog({ seed: 42, products: PRODUCTS })];
const lowest = (p: DemoProduct, region: Region) =>
  Math.min(...p.variants.map((v) => v.prices[region].amount));

let app: CatalogTestApp;
let service: ProductsService;

beforeAll(async () => {
  app = await startCatalogTestApp(PRODUCTS);
  service = app.moduleRef.get(ProductsService);
}, 60_000);
afterAll(() => app?.close());

/** Follows nextCursor to the end and returns every item. */
async function walk(query: Omit<BrowseQuery, 'cursor'>): Promise<ProductSummary[]> {
  const all: ProductSummary[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const page = await service.browse({ ...query, cursor });
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    all.push(...page.items);
    if (!page.nextCursor) return all;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

const ids = (items: { productId: string }[]) => items.map((i) => i.productId).sort();

describe('ProductsService.browse', () => {
  it('walks the whole catalog page by page without duplicates or gaps', async () => {
    const items = await walk({ region: 'us', limit: 7 });
    expect(items).toHaveLength(PRODUCTS);
    expect(new Set(ids(items)).size).toBe(PRODUCTS);
  });

  it('returns at most `limit` items and a cursor while more remain', async () => {
    const page = await service.browse({ region: 'us', limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('includes the descendants of a category', async () => {
    const expected = catalog.filter((p) => p.categoryPath.includes('electronics'));
    const items = await walk({ region: 'us', category: 'electronics', limit: 25 });
    expect(ids(items)).toEqual(ids(expected));
    expect(
      items.every((i) =>
        expected.some((p) => p.productId === i.productId && p.categoryId === i.categoryId),
      ),
    ).toBe(true);
  });

  it('lists a leaf category exactly', async () => {
    const leaf = catalog[0].categoryId;
    const items = await walk({ region: 'us', category: leaf, limit: 3 });
    expect(ids(items)).toEqual(ids(catalog.filter((p) => p.categoryId === leaf)));
  });

  it.each<[BrowseSort, Region]>([
    ['price_asc', 'us'],
    ['price_desc', 'eu'],
    ['price_asc', 'ap'],
  ])('sorts by %s in region %s using the lowest variant price', async (sort, region) => {
    const items = await walk({ region, sort, limit: 40 });
    expect(items).toHaveLength(PRODUCTS);
    const amounts = items.map((i) => i.price.amount);
    const sorted = [...amounts].sort((a, b) => (sort === 'price_asc' ? a - b : b - a));
    expect(amounts).toEqual(sorted);
    const byId = new Map(catalog.map((p) => [p.productId, p]));
    for (const item of items)
      expect(item.price.amount).toBe(lowest(byId.get(item.productId)!, region));
    expect(items[0].price.currency).toBe({ us: 'USD', eu: 'EUR', ap: 'JPY' }[region]);
  });

  it('sorts by newest first', async () => {
    const items = await walk({ region: 'us', sort: 'newest', limit: 50 });
    const byId = new Map(catalog.map((p) => [p.productId, p.createdAt]));
    const dates = items.map((i) => byId.get(i.productId)!);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('sorts by rating, best first', async () => {
    const items = await walk({ region: 'us', sort: 'rating', limit: 50 });
    const ratings = items.map((i) => i.rating);
    expect(ratings).toEqual([...ratings].sort((a, b) => b - a));
  });

  it('filters by a price range, on a price sort (key condition) and on another sort (filter)', async () => {
    const [min, max] = [5_000, 20_000];
    const expected = catalog.filter((p) => lowest(p, 'us') >= min && lowest(p, 'us') <= max);
    expect(expected.length).toBeGreaterThan(10);
    for (const sort of ['price_asc', 'newest'] as const) {
      const items = await walk({ region: 'us', sort, minPrice: min, maxPrice: max, limit: 9 });
      expect(ids(items)).toEqual(ids(expected));
    }
    const cheap = await walk({ region: 'eu', maxPrice: 3_000, sort: 'rating', limit: 20 });
    expect(ids(cheap)).toEqual(ids(catalog.filter((p) => lowest(p, 'eu') <= 3_000)));
  });

  it('filters by brand alone and by brand within a category', async () => {
    const brand = catalog[0].brand;
    const byBrand = await walk({ region: 'us', brand, sort: 'newest', limit: 4 });
    expect(ids(byBrand)).toEqual(ids(catalog.filter((p) => p.brand === brand)));
    const department = catalog[0].categoryPath[0];
    const both = await walk({
      region: 'us',
      brand,
      category: department,
      sort: 'price_desc',
      limit: 3,
    });
    expect(ids(both)).toEqual(
      ids(catalog.filter((p) => p.brand === brand && p.categoryPath.includes(department))),
    );
  });

  it('rejects a cursor from another query and an unknown category', async () => {
    const page = await service.browse({ region: 'us', sort: 'newest', limit: 2 });
    await expect(
      service.browse({ region: 'us', sort: 'rating', limit: 2, cursor: page.nextCursor! }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_CURSOR',
    });
    await expect(
      service.browse({ region: 'us', limit: 2, cursor: 'garbage' }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      service.browse({ region: 'us', category: 'no-such-category', limit: 2 }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'CATEGORY_NOT_FOUND',
    });
  });
});

describe('ProductsService.get', () => {
  const product = catalog[3];

  it.each<[Region, string]>([
    ['us', 'USD'],
    ['eu', 'EUR'],
    ['ap', 'JPY'],
  ])('gives the detail with %s prices in %s', async (region, currency) => {
    const detail = await service.get(product.productId, region);
    expect(detail).toMatchObject({
      productId: product.productId,
      title: product.title,
      brand: product.brand,
      description: product.description,
      images: product.images,
      specs: product.specs,
      rating: product.rating,
      createdAt: product.createdAt,
      region,
    });
    expect(detail.category.categoryId).toBe(product.categoryId);
    expect(detail.category.path.map((c) => c.categoryId)).toEqual(product.categoryPath);
    expect(detail.variants).toEqual(
      product.variants.map((v) => ({
        variantId: v.variantId,
        sku: v.sku,
        attributes: v.attributes,
        // No promotion runs here: the price is the list price.
        price: v.prices[region],
        listPrice: v.prices[region],
        promotions: [],
      })),
    );
    expect(detail.pricesValidUntil).toBeNull();
    for (const v of detail.variants) expect(v.price.currency).toBe(currency);
  });

  it('throws PRODUCT_NOT_FOUND (404) for an unknown product', async () => {
    await expect(service.get('p-999999', 'us')).rejects.toMatchObject({
      status: 404,
      code: 'PRODUCT_NOT_FOUND',
    });
  });
});

describe('ProductsService detail cache', () => {
  it('reads a product from DynamoDB once, then from memory, until it is forgotten', async () => {
    const repository = app.moduleRef.get(ProductsRepository);
    const reads = jest.spyOn(repository, 'findProduct');
    const { productId } = catalog[7];
    service.forget();

    await service.get(productId, 'us');
    await service.get(productId, 'eu');
    expect(reads).toHaveBeenCalledTimes(1);

    service.forget([productId]);
    await service.get(productId, 'ap');
    expect(reads).toHaveBeenCalledTimes(2);
    reads.mockRestore();
  });

  it('reads the variants of a meta item written before it carried them from the variant items', async () => {
    const { productId } = catalog[11];
    service.forget();
    const current = await service.get(productId, 'us');
    const { doc, tables } = app.dynamo;
    const key = { productId, variantId: PRODUCT_META_SK };
    const { Attributes } = await doc.send(
      new UpdateCommand({
        TableName: tables.of(PRODUCTS_TABLE),
        Key: key,
        UpdateExpression: 'REMOVE variants',
        ReturnValues: 'ALL_OLD',
      }),
    );
    try {
      service.forget();
      expect(await service.get(productId, 'us')).toEqual(current);
    } finally {
      await doc.send(
        new UpdateCommand({
          TableName: tables.of(PRODUCTS_TABLE),
          Key: key,
          UpdateExpression: 'SET variants = :v',
          ExpressionAttributeValues: { ':v': Attributes!.variants },
        }),
      );
    }
  });

  it('does not remember a product that does not exist', async () => {
    const repository = app.moduleRef.get(ProductsRepository);
    const reads = jest.spyOn(repository, 'findProduct');
    await expect(service.get('p-missing', 'us')).rejects.toMatchObject({ status: 404 });
    await expect(service.get('p-missing', 'us')).rejects.toMatchObject({ status: 404 });
    expect(reads).toHaveBeenCalledTimes(2);
    reads.mockRestore();
  });
});
