import {
  BrowseProducts,
  GetAvailability,
  GetProduct,
  REGIONS,
  type ProductDetail,
  type Region,
} from '@mercato/contracts';
import { InMemoryMessageBus } from '@mercato/messaging';
import { OramaProductIndex } from '@mercato/search-index';
import { SearchErrorCode } from '../search.exception';
import { IndexedProducts } from './indexed-products';
import { ProductLoader } from './product-loader';
import { SearchIndexer } from './search-indexer.service';
import { SearchService } from './search.service';

const CURRENCY = { us: 'USD', eu: 'EUR', ap: 'JPY' } as const;

/** Catalog and inventory as the bus answers them: products with the regions they are sold in. */
class FakeServices {
  readonly products = new Map<string, { title: string; regions: Region[]; price: number }>();
  readonly stock = new Map<string, number>();
  detailRequests = 0;

  add(productId: string, title: string, regions: Region[] = [...REGIONS], price = 1_000): void {
    this.products.set(productId, { title, regions, price });
  }

  answerOn(bus: InMemoryMessageBus): void {
    bus.answer(GetProduct, async ({ productId, region }) => {
      this.detailRequests++;
      const product = this.products.get(productId);
      if (!product)
        throw Object.assign(new Error('unknown'), { status: 404, code: 'PRODUCT_NOT_FOUND' });
      if (!product.regions.includes(region)) {
        throw Object.assign(new Error('not here'), {
          status: 404,
          code: 'PRODUCT_NOT_SOLD_IN_REGION',
        });
      }
      return this.detail(productId, region);
    });
    bus.answer(GetAvailability, async ({ skus }) => ({
      items: skus.map((sku) => ({ sku, available: this.stock.get(sku) ?? 0, warehouses: [] })),
    }));
    bus.answer(BrowseProducts, async ({ limit, cursor }) => {
      const ids = [...this.products.keys()].sort();
      const start = cursor ? Number(cursor) : 0;
      const page = ids.slice(start, start + limit);
      return {
        items: page.map((productId) => ({
          productId,
          title: this.products.get(productId)!.title,
          brand: 'Northwind',
          categoryId: 'boots',
          price: { amount: 1_000, currency: 'USD' as const },
          rating: 0,
          imageUrl: '',
        })),
        nextCursor: start + limit < ids.length ? String(start + limit) : null,
      };
    });
  }

  private detail(productId: string, region: Region): ProductDetail {
    const product = this.products.get(productId)!;
    return {
      productId,
      title: product.title,
      description: '',
      brand: 'Northwind',
      category: {
        categoryId: 'boots',
        name: 'Boots',
        path: [{ categoryId: 'boots', name: 'Boots' }],
      },
      images: [],
      specs: {},
      rating: { average: 4, count: 2 },
      region,
      variants: [
        {
          variantId: 'v1',
          sku: `${productId}-SKU`,
          attributes: {},
          price: {
            amount: region === 'ap' ? product.price * 100 : product.price,
            currency: CURRENCY[region],
          },
        },
      ],
      createdAt: '2026-11-01T10:00:00.000Z',
    };
  }
}

describe('SearchIndexer and SearchService', () => {
  let bus: InMemoryMessageBus;
  let index: OramaProductIndex;
  let services: FakeServices;
  let indexer: SearchIndexer;
  let search: SearchService;

  const ids = async (q?: string, inStock?: boolean) =>
    (await search.search({ q, inStock, region: 'us', limit: 100 })).hits.map((h) => h.productId);

  beforeEach(async () => {
    bus = new InMemoryMessageBus();
    services = new FakeServices();
    services.answerOn(bus);
    await bus.start();
    index = new OramaProductIndex();
    await index.init();
    const indexed = new IndexedProducts();
    indexer = new SearchIndexer(index, new ProductLoader(bus), indexed);
    search = new SearchService(index, indexed, indexer);
  });

  afterEach(async () => {
    indexer.onApplicationShutdown();
    await bus.close();
    await index.close();
  });

  it('indexes a product and answers it with its price and availability in the region', async () => {
    services.add('p1', 'Trailhead Boot', [...REGIONS], 12_900);
    services.stock.set('p1-SKU', 3);
    await indexer.reindex('p1');
    const result = await search.search({ q: 'trailhead', region: 'ap', limit: 10 });
    expect(result.hits).toEqual([
      {
        productId: 'p1',
        title: 'Trailhead Boot',
        brand: 'Northwind',
        categoryId: 'boots',
        price: { amount: 1_290_000, currency: 'JPY' },
        rating: 4,
        ratingCount: 2,
        available: true,
      },
    ]);
  });

  it('re-indexing the same product again changes nothing', async () => {
    services.add('p1', 'Trailhead Boot');
    await indexer.reindex('p1');
    await indexer.reindex('p1');
    expect(await index.count()).toBe(1);
    expect(await ids('boot')).toEqual(['p1']);
  });

  it('takes a product out of the index when it stops being sold in a region', async () => {
    services.add('p1', 'Trailhead Boot');
    await indexer.reindex('p1');
    services.add('p1', 'Trailhead Boot', ['us', 'eu']);
    await indexer.reindex('p1');
    expect(await index.count()).toBe(0);
    expect(await ids('boot')).toEqual([]);
  });

  it('re-indexes a product once for a burst of stock changes', async () => {
    services.add('p1', 'Trailhead Boot');
    services.add('p2', 'Summit Boot');
    for (let i = 0; i < 5; i++) indexer.scheduleReindex('p1');
    indexer.scheduleReindex('p2');
    services.stock.set('p1-SKU', 1);
    await indexer.flushPending();
    expect(services.detailRequests).toBe(2 * REGIONS.length);
    expect(await ids(undefined, true)).toEqual(['p1']);
  });

  it('re-indexes every product page by page, leaving out those not sold everywhere', async () => {
    for (let i = 0; i < 230; i++) services.add(`p${String(i).padStart(3, '0')}`, `Boot ${i}`);
    services.add('p-us-only', 'Harbour Boot', ['us']);
    await indexer.requestFullReindex('test');
    expect(await index.count()).toBe(230);
    expect(await ids('harbour')).toEqual([]);
  });

  it('fills in a hit this process did not index by reading the product again', async () => {
    services.add('p1', 'Trailhead Boot');
    await new SearchIndexer(index, new ProductLoader(bus), new IndexedProducts()).reindex('p1');
    expect((await search.search({ q: 'boot', region: 'us', limit: 5 })).hits).toMatchObject([
      { productId: 'p1', title: 'Trailhead Boot', price: { amount: 1_000, currency: 'USD' } },
    ]);
  });

  it('drops a hit this process did not index when the product is no longer indexable', async () => {
    services.add('p1', 'Trailhead Boot');
    await new SearchIndexer(index, new ProductLoader(bus), new IndexedProducts()).reindex('p1');
    services.add('p1', 'Trailhead Boot', ['us']);
    expect(await ids('boot')).toEqual([]);
    expect(await index.count()).toBe(0);
  });

  it('pages with a cursor that ends on the last page', async () => {
    for (let i = 0; i < 5; i++) services.add(`p${i}`, `Boot ${i}`);
    await indexer.requestFullReindex('test');
    const first = await search.search({ q: 'boot', region: 'us', limit: 3 });
    const second = await search.search({
      q: 'boot',
      region: 'us',
      limit: 3,
      cursor: first.nextCursor!,
    });
    expect(first.total).toBe(5);
    expect([...first.hits, ...second.hits].map((h) => h.productId).sort()).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a cursor made for another query', async () => {
    for (let i = 0; i < 3; i++) services.add(`p${i}`, `Boot ${i}`);
    await indexer.requestFullReindex('test');
    const first = await search.search({ q: 'boot', region: 'us', limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    await expect(
      search.search({ q: 'boot', region: 'eu', limit: 1, cursor: first.nextCursor! }),
    ).rejects.toMatchObject({ status: 400, code: SearchErrorCode.InvalidCursor });
  });

  it('refuses a text over 200 characters', async () => {
    await expect(
      search.search({ q: 'b'.repeat(201), region: 'us', limit: 1 }),
    ).rejects.toMatchObject({ status: 400, code: SearchErrorCode.QueryTooLong });
    await expect(
      search.search({ q: 'b'.repeat(200), region: 'us', limit: 1 }),
    ).resolves.toMatchObject({ total: 0 });
  });
});
