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
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { searchParts } from '../../test/support/search-parts';
import { SEARCH_TABLES } from '../search.tables';
import { SearchErrorCode } from '../search.exception';
import type { SearchIndexer } from './search-indexer.service';
import type { SearchService } from './search.service';

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
    bus.answer(BrowseProducts, async ({ region, limit, cursor }) => {
      const ids = [...this.products.keys()]
        .filter((id) => this.products.get(id)!.regions.includes(region))
        .sort();
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
  let dynamo: TestDynamo;

  beforeAll(async () => {
    dynamo = await startTestDynamo(SEARCH_TABLES);
  });
  afterAll(() => dynamo.close());

  const ids = async (q?: string, inStock?: boolean) =>
    (await search.search({ q, inStock, region: 'us', limit: 100 })).hits.map((h) => h.productId);

  beforeEach(async () => {
    bus = new InMemoryMessageBus();
    services = new FakeServices();
    services.answerOn(bus);
    await bus.start();
    index = new OramaProductIndex();
    await index.init();
    ({ indexer, search } = searchParts(index, bus, dynamo));
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

  it('finds a product only in the regions it is sold in, and takes it out when sold nowhere', async () => {
    const regionIds = async (region: Region) =>
      (await search.search({ q: 'boot', region, limit: 10 })).hits.map((h) => h.productId);
    services.add('p1', 'Trailhead Boot');
    await indexer.reindex('p1');
    services.add('p1', 'Trailhead Boot', ['us', 'eu']);
    await indexer.reindex('p1');
    expect(await regionIds('eu')).toEqual(['p1']);
    expect(await regionIds('ap')).toEqual([]);
    services.products.delete('p1');
    await indexer.reindex('p1');
    expect(await index.count()).toBe(0);
  });

  it('answers a product available in the region where its SKU has stock', async () => {
    services.add('p1', 'Trailhead Boot');
    services.stock.set('p1-SKU', 2);
    await indexer.reindex('p1');
    expect((await search.search({ q: 'boot', region: 'eu', limit: 5 })).hits).toMatchObject([
      { productId: 'p1', available: true },
    ]);
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

  it('re-indexes every product of every region page by page, each once', async () => {
    for (let i = 0; i < 230; i++) services.add(`p${String(i).padStart(3, '0')}`, `Boot ${i}`);
    services.add('p-ap-only', 'Harbour Boot', ['ap']);
    await indexer.requestFullReindex('test');
    expect(await index.count()).toBe(231);
    expect(services.detailRequests).toBe(231 * REGIONS.length);
    expect(
      (await search.search({ q: 'harbour', region: 'ap', limit: 5 })).hits.map((h) => h.productId),
    ).toEqual(['p-ap-only']);
  });

  it('fills in hits from the index alone, whichever process indexed them', async () => {
    services.add('p1', 'Trailhead Boot');
    await searchParts(index, bus, dynamo).indexer.reindex('p1');
    const requests = services.detailRequests;
    expect(
      (await searchParts(index, bus, dynamo).search.search({ q: 'boot', region: 'us', limit: 5 }))
        .hits,
    ).toMatchObject([
      { productId: 'p1', title: 'Trailhead Boot', price: { amount: 1_000, currency: 'USD' } },
    ]);
    expect(services.detailRequests).toBe(requests);
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
