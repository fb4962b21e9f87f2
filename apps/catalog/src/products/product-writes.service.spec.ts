import { Test, type TestingModule } from '@nestjs/testing';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigModule } from '@mercato/config';
import {
  BROWSE_SORTS,
  CreateProduct,
  ProductChanged,
  type BrowseSort,
  type CategoryNode,
  type ProductInput,
  type Region,
} from '@mercato/contracts';
import { DEMO_CATEGORIES, DEMO_LEAF_CATEGORIES } from '@mercato/demo-data';
import { InMemoryMessageBus, MessageBus, MessagingModule } from '@mercato/messaging';
import { findPending, PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { CatalogModule } from '../catalog.module';
import { CategoriesService } from '../categories/categories.service';
import { CatalogSeeder } from '../seed/catalog-seeder';
import { ProductFeedService } from './product-feed.service';
import { ProductWritesService } from './product-writes.service';
import { ProductsOutbox } from './products.outbox';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';
import { PRODUCTS_TABLE } from './products.tables';
import { CATALOG_TABLES } from '../catalog.tables';

const SEEDED = 60;
let dynamo: TestDynamo;
let moduleRef: TestingModule;
let writes: ProductWritesService;
let products: ProductsService;
let categories: CategoriesService;
let bus: InMemoryMessageBus;

beforeAll(async () => {
  dynamo = await startTestDynamo(CATALOG_TABLES);
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        ...dynamo.config,
        MERCATO_SEED: false,
        MERCATO_SEED_PRODUCTS: SEEDED,
        MERCATO_SEED_RANDOM: 42,
        // The test runs the relay itself, with no grace period.
        CATALOG_OUTBOX_INTERVAL_MS: 3_600_000,
        CATALOG_OUTBOX_GRACE_MS: 0,
      }),
      PersistenceModule.forRoot(dynamo.config),
      MessagingModule.forRoot({
        MERCATO_BUS: 'memory',
        BUS_MAX_ATTEMPTS: 1,
        BUS_RETRY_BACKOFF_MS: 1,
      }),
      CatalogModule,
    ],
  })
    .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
    .compile();
  await moduleRef.init();
  await moduleRef.get(CatalogSeeder).seed({ seed: 42, products: SEEDED });
  writes = moduleRef.get(ProductWritesService);
  products = moduleRef.get(ProductsService);
  categories = moduleRef.get(CategoriesService);
  bus = moduleRef.get(MessageBus) as InMemoryMessageBus;
}, 60_000);
afterAll(async () => {
  await moduleRef?.close();
  await dynamo?.close();
});

let published: { productId: string; revision: number; sellerId?: string; variants?: unknown }[];
let publish: jest.SpyInstance;
beforeEach(() => {
  published = [];
  const original = bus.publish.bind(bus);
  publish = jest.spyOn(bus, 'publish').mockImplementation(async (contract, data, options) => {
    if (contract === ProductChanged) published.push(data as (typeof published)[number]);
    return original(contract, data, options);
  });
});
afterEach(() => publish.mockRestore());

const [leafA, leafB] = [DEMO_LEAF_CATEGORIES[0], DEMO_LEAF_CATEGORIES[5]];
let skuCounter = 0;
const nextSku = () => `TST-${String(++skuCounter).padStart(5, '0')}`;
const prices = (usd: number) => [
  { region: 'us' as const, amount: usd, currency: 'USD' as const },
  { region: 'eu' as const, amount: usd - 100, currency: 'EUR' as const },
  { region: 'ap' as const, amount: usd * 1.5, currency: 'JPY' as const },
];
function body(overrides: Partial<ProductInput> = {}): ProductInput {
  return {
    title: 'Acme Trail Runner',
    description: 'Light and fast.',
    brand: 'Acmeco',
    categoryId: leafA.categoryId,
    specs: { weight: '240 g' },
    images: ['https://img.example/1.jpg'],
    variants: [
      { sku: nextSku(), attributes: { size: '42' }, prices: prices(9_900) },
      { sku: nextSku(), attributes: { size: '43' }, prices: prices(10_900) },
    ],
    ...overrides,
  };
}

const flatten = (nodes: CategoryNode[]): CategoryNode[] =>
  nodes.flatMap((n) => [n, ...flatten(n.children)]);
async function countOf(categoryId: string): Promise<number> {
  return flatten(await categories.list()).find((c) => c.categoryId === categoryId)!.productCount;
}
async function listed(query: { category?: string; brand?: string }): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await products.browse({ region: 'us', limit: 100, ...query, cursor });
    ids.push(...page.items.map((i) => i.productId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}
async function itemCount(): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamo.doc.send(
      new ScanCommand({
        TableName: dynamo.tables.of(PRODUCTS_TABLE),
        Select: 'COUNT',
        ExclusiveStartKey,
      }),
    );
    count += out.Count ?? 0;
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

describe('creating a product', () => {
  it('shows it in detail, in its category and brand listings, and in the counts', async () => {
    const department = leafA.path[0];
    const [leafBefore, departmentBefore] = [
      await countOf(leafA.categoryId),
      await countOf(department),
    ];
    const input = body();
    const created = await writes.create({ sellerId: 'seller-1', product: input });

    expect(created.revision).toBe(1);
    expect(created.variants.map((v) => v.sku)).toEqual(input.variants.map((v) => v.sku));
    const detail = await products.get(created.productId, 'eu');
    expect(detail).toMatchObject({ title: input.title, brand: 'Acmeco' });
    expect(detail.category.path.map((c) => c.categoryId)).toEqual(leafA.path);
    expect(detail.variants.map((v) => v.price)).toEqual([
      { amount: 9_800, currency: 'EUR' },
      { amount: 10_800, currency: 'EUR' },
    ]);
    expect(await listed({ category: leafA.categoryId })).toContain(created.productId);
    expect(await listed({ category: department })).toContain(created.productId);
    expect(await listed({ brand: 'Acmeco' })).toContain(created.productId);
    expect(await countOf(leafA.categoryId)).toBe(leafBefore + 1);
    expect(await countOf(department)).toBe(departmentBefore + 1);
    expect(published).toEqual([
      {
        productId: created.productId,
        revision: 1,
        sellerId: 'seller-1',
        variants: created.variants,
      },
    ]);
  });
});

describe('updating a product', () => {
  it('changes title, price and category, drops the old listings and moves the count', async () => {
    const input = body({ brand: 'Movers' });
    const created = await writes.create({ sellerId: 'seller-1', product: input });
    const [countA, countB] = [await countOf(leafA.categoryId), await countOf(leafB.categoryId)];
    const kept = input.variants[0];
    const added = { sku: nextSku(), attributes: { size: '44' }, prices: prices(12_900) };
    const updated = await writes.update({
      productId: created.productId,
      sellerId: 'seller-1',
      asAdmin: false,
      expectedRevision: 1,
      product: {
        ...input,
        title: 'Movers Summit Boot',
        brand: 'Movers Two',
        categoryId: leafB.categoryId,
        variants: [{ ...kept, prices: prices(7_900) }, added],
      },
    });

    expect(updated.revision).toBe(2);
    expect(updated.variants[0]).toEqual(created.variants[0]);
    expect(updated.variants[1].sku).toBe(added.sku);
    expect(created.variants.map((v) => v.variantId)).not.toContain(updated.variants[1].variantId);
    const detail = await products.get(created.productId, 'us');
    expect(detail.title).toBe('Movers Summit Boot');
    expect(detail.category.categoryId).toBe(leafB.categoryId);
    expect(detail.variants.map((v) => [v.sku, v.price.amount])).toEqual([
      [kept.sku, 7_900],
      [added.sku, 12_900],
    ]);
    expect(await listed({ category: leafA.categoryId })).not.toContain(created.productId);
    expect(await listed({ brand: 'Movers' })).not.toContain(created.productId);
    expect(await listed({ category: leafB.categoryId })).toContain(created.productId);
    expect(await listed({ brand: 'Movers Two' })).toEqual([created.productId]);
    expect(await countOf(leafA.categoryId)).toBe(countA - 1);
    expect(await countOf(leafB.categoryId)).toBe(countB + 1);
    const browsed = await products.browse({ region: 'us', brand: 'Movers Two', limit: 5 });
    expect(browsed.items[0]).toMatchObject({
      title: 'Movers Summit Boot',
      price: { amount: 7_900 },
    });

    // The dropped SKU is free for another product.
    const other = await writes.create({
      sellerId: 'seller-2',
      product: body({ variants: [{ ...input.variants[1] }] }),
    });
    expect(other.variants[0].sku).toBe(input.variants[1].sku);
    expect(published.map((e) => [e.productId, e.revision])).toEqual([
      [created.productId, 1],
      [created.productId, 2],
      [other.productId, 1],
    ]);
    expect(published[1].variants).toEqual(updated.variants);
  });

  it('is 404 for another seller, allowed for an admin, and 409 on a stale revision', async () => {
    const created = await writes.create({ sellerId: 'seller-1', product: body() });
    const update = (sellerId: string, asAdmin: boolean, expectedRevision?: number) =>
      writes.update({
        productId: created.productId,
        sellerId,
        asAdmin,
        expectedRevision,
        product: body({ title: `by ${sellerId}` }),
      });
    await expect(update('seller-2', false)).rejects.toMatchObject({
      status: 404,
      code: 'PRODUCT_NOT_FOUND',
    });
    await expect(
      writes.update({
        productId: 'p-nope',
        sellerId: 'seller-1',
        asAdmin: true,
        product: body(),
      }),
    ).rejects.toMatchObject({ status: 404 });
    expect((await update('admin-1', true, 1)).revision).toBe(2);
    await expect(update('seller-1', false, 1)).rejects.toMatchObject({
      status: 409,
      code: 'REVISION_CONFLICT',
    });
    expect((await update('seller-1', false)).revision).toBe(3);
    expect((await products.get(created.productId, 'us')).title).toBe('by seller-1');
    expect(published.map((e) => e.revision)).toEqual([1, 2, 3]);
  });
});

describe('validation', () => {
  const taken = nextSku();
  beforeAll(async () => {
    await writes.create({
      sellerId: 'seller-1',
      product: body({ variants: [{ sku: taken, attributes: {}, prices: prices(500) }] }),
    });
  });

  const department = DEMO_CATEGORIES[0].categoryId;
  it.each<[string, () => unknown, number, string, string]>([
    [
      'a price without currency',
      () => {
        const b = body();
        delete (b.variants[0].prices[1] as { currency?: string }).currency;
        return b;
      },
      400,
      'VALIDATION_FAILED',
      'variants.0.prices.1.currency',
    ],
    [
      'a currency that is not the region’s',
      () => {
        const b = body();
        b.variants[1].prices[2] = { region: 'ap', amount: 100, currency: 'USD' };
        return b;
      },
      400,
      'VALIDATION_FAILED',
      'variants.1.prices.2.currency',
    ],
    [
      'a variant without a price',
      () => {
        const b = body();
        b.variants[0].prices = [];
        return b;
      },
      400,
      'VALIDATION_FAILED',
      'variants.0.prices',
    ],
    [
      'a variant missing a region the first variant is sold in',
      () => {
        const b = body();
        b.variants[1].prices = b.variants[1].prices.slice(0, 2);
        return b;
      },
      400,
      'VALIDATION_FAILED',
      'variants.1.prices',
    ],
    [
      'a SKU with a space',
      () => body({ variants: [{ sku: 'AB 123', attributes: {}, prices: prices(200) }] }),
      400,
      'VALIDATION_FAILED',
      'variants.0.sku',
    ],
    [
      'a SKU over 64 characters',
      () => body({ variants: [{ sku: 'A'.repeat(65), attributes: {}, prices: prices(200) }] }),
      400,
      'VALIDATION_FAILED',
      'variants.0.sku',
    ],
    [
      'the same SKU twice in the product in another case',
      () => {
        const b = body();
        b.variants[1].sku = b.variants[0].sku.toLowerCase();
        return b;
      },
      400,
      'VALIDATION_FAILED',
      'variants.1.sku',
    ],
    [
      'a fractional price',
      () => {
        const b = body();
        b.variants[0].prices[0].amount = 19.99;
        return b;
      },
      400,
      'VALIDATION_FAILED',
      'variants.0.prices.0.amount',
    ],
    ['an empty title', () => body({ title: ' ' }), 400, 'VALIDATION_FAILED', 'title'],
    [
      'a malformed SKU',
      () => body({ variants: [{ sku: 'ab', attributes: {}, prices: prices(200) }] }),
      400,
      'VALIDATION_FAILED',
      'variants.0.sku',
    ],
    [
      'a SKU twice in the product',
      () => {
        const b = body();
        b.variants[1].sku = b.variants[0].sku;
        return b;
      },
      400,
      'VALIDATION_FAILED',
      'variants.1.sku',
    ],
    [
      'an unknown category',
      () => body({ categoryId: 'no-such-category' }),
      422,
      'INVALID_CATEGORY',
      'categoryId',
    ],
    [
      'a category that is not a leaf',
      () => body({ categoryId: department }),
      422,
      'INVALID_CATEGORY',
      'categoryId',
    ],
    [
      'a SKU of another product',
      () => {
        const b = body();
        b.variants[1].sku = taken;
        return b;
      },
      409,
      'SKU_TAKEN',
      'variants.1.sku',
    ],
    [
      'a SKU of another product in another case',
      () => {
        const b = body();
        b.variants[1].sku = taken.toLowerCase();
        return b;
      },
      409,
      'SKU_TAKEN',
      'variants.1.sku',
    ],
  ])('rejects %s and stores nothing', async (_name, make, status, code, field) => {
    const before = await itemCount();
    const failure = await writes
      .create({ sellerId: 'seller-1', idempotencyKey: `k-${code}-${field}`, product: make() })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ status, code });
    expect((failure as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(
      field,
    );
    expect(await itemCount()).toBe(before);
    expect(published).toEqual([]);
  });

  it('rejects a SKU another product holds on update too, keeping the product as it was', async () => {
    const input = body();
    const created = await writes.create({ sellerId: 'seller-1', product: input });
    const failure = await writes
      .update({
        productId: created.productId,
        sellerId: 'seller-1',
        asAdmin: false,
        product: {
          ...input,
          variants: [...input.variants, { sku: taken, attributes: {}, prices: prices(200) }],
        },
      })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 409, code: 'SKU_TAKEN' });
    expect((await products.get(created.productId, 'us')).variants).toHaveLength(2);
  });
});

describe('seller-friendly SKUs and regional prices', () => {
  const usOnly = (usd: number) => [
    { region: 'us' as const, amount: usd, currency: 'USD' as const },
  ];
  /** Every product of a brand listed in the region, in each of the four sorts. */
  async function listedIn(region: Region, brand: string): Promise<Record<BrowseSort, string[]>> {
    const bySort = {} as Record<BrowseSort, string[]>;
    for (const sort of BROWSE_SORTS) {
      bySort[sort] = (await products.browse({ region, brand, sort, limit: 100 })).items.map(
        (i) => i.productId,
      );
    }
    return bySort;
  }
  const everywhere = (ids: string[]) => Object.fromEntries(BROWSE_SORTS.map((sort) => [sort, ids]));

  it('sells a product with a lower-case SKU and one price only in that region, SKU as sent', async () => {
    const sku = `ab-${++skuCounter}_x.2/blue`;
    const created = await writes.create({
      sellerId: 'seller-1',
      product: body({
        brand: 'Uswear',
        variants: [{ sku, attributes: { colour: 'blue' }, prices: usOnly(4_900) }],
      }),
    });
    expect(created.variants.map((v) => v.sku)).toEqual([sku]);
    expect(published[0].variants).toEqual([{ variantId: created.variants[0].variantId, sku }]);

    const us = await products.get(created.productId, 'us');
    expect(us.variants).toEqual([
      expect.objectContaining({ sku, price: { amount: 4_900, currency: 'USD' } }),
    ]);
    for (const region of ['eu', 'ap'] as const) {
      await expect(products.get(created.productId, region)).rejects.toMatchObject({
        status: 404,
        code: 'PRODUCT_NOT_SOLD_IN_REGION',
      });
      expect(await listedIn(region, 'Uswear')).toEqual(everywhere([]));
    }
    expect(await listedIn('us', 'Uswear')).toEqual(everywhere([created.productId]));
    expect((await products.browse({ region: 'us', brand: 'Uswear', limit: 5 })).items).toEqual([
      expect.objectContaining({ price: { amount: 4_900, currency: 'USD' } }),
    ]);

    const failure = await writes
      .create({
        sellerId: 'seller-2',
        product: body({
          variants: [{ sku: sku.toUpperCase(), attributes: {}, prices: prices(500) }],
        }),
      })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 409, code: 'SKU_TAKEN' });
  });

  it('stops listing and selling a product in a region whose prices an update drops', async () => {
    const input = body({ brand: 'Shrinking' });
    const created = await writes.create({ sellerId: 'seller-1', product: input });
    expect(await listedIn('eu', 'Shrinking')).toEqual(everywhere([created.productId]));
    await writes.update({
      productId: created.productId,
      sellerId: 'seller-1',
      asAdmin: false,
      product: {
        ...input,
        variants: input.variants.map((v) => ({ ...v, prices: v.prices.slice(0, 1) })),
      },
    });
    expect(await listedIn('eu', 'Shrinking')).toEqual(everywhere([]));
    expect(await listedIn('us', 'Shrinking')).toEqual(everywhere([created.productId]));
    await expect(products.get(created.productId, 'eu')).rejects.toMatchObject({
      code: 'PRODUCT_NOT_SOLD_IN_REGION',
    });
  });

  it('keeps the claim of a SKU whose case an update changes', async () => {
    const input = body();
    const created = await writes.create({ sellerId: 'seller-1', product: input });
    const renamed = input.variants[0].sku.toLowerCase();
    const updated = await writes.update({
      productId: created.productId,
      sellerId: 'seller-1',
      asAdmin: false,
      product: { ...input, variants: [{ ...input.variants[0], sku: renamed }, input.variants[1]] },
    });
    expect(updated.variants[0].sku).toBe(renamed);
    expect((await products.get(created.productId, 'us')).variants[0].sku).toBe(renamed);
    const failure = await writes
      .create({
        sellerId: 'seller-2',
        product: body({ variants: [{ ...input.variants[0] }] }),
      })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 409, code: 'SKU_TAKEN' });
  });
});

describe('idempotency keys', () => {
  it('answers a replay with the first result and rejects the key with another body', async () => {
    const input = body();
    const first = await writes.create({
      sellerId: 'seller-9',
      idempotencyKey: 'key-1',
      product: input,
    });
    const again = await writes.create({
      sellerId: 'seller-9',
      idempotencyKey: 'key-1',
      product: input,
    });
    expect(again).toEqual(first);
    expect(published).toHaveLength(1);
    await expect(
      writes.create({
        sellerId: 'seller-9',
        idempotencyKey: 'key-1',
        product: { ...input, title: 'Something else' },
      }),
    ).rejects.toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    // Keys belong to a seller.
    const other = await writes.create({
      sellerId: 'seller-10',
      idempotencyKey: 'key-1',
      product: body(),
    });
    expect(other.productId).not.toBe(first.productId);
  });

  it('finishes a create whose writer died after the record, on replay', async () => {
    const repository = moduleRef.get(ProductsRepository);
    const crash = jest
      .spyOn(repository, 'writeMeta')
      .mockRejectedValueOnce(new Error('process died'));
    const input = body();
    await expect(
      writes.create({ sellerId: 'seller-9', idempotencyKey: 'key-2', product: input }),
    ).rejects.toThrow('process died');
    crash.mockRestore();
    const replay = await writes.create({
      sellerId: 'seller-9',
      idempotencyKey: 'key-2',
      product: input,
    });
    expect((await products.get(replay.productId, 'us')).title).toBe(input.title);
  });

  it('travels over the bus and comes back as 422 with its code', async () => {
    const input = body();
    await bus.request(CreateProduct, { sellerId: 's-bus', idempotencyKey: 'k', product: input });
    await expect(
      bus.request(CreateProduct, {
        sellerId: 's-bus',
        idempotencyKey: 'k',
        product: { ...input, brand: 'Other' },
      }),
    ).rejects.toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });
});

describe('the product feed', () => {
  it('applies good rows, rejects bad ones with reasons, and a re-sent feed changes nothing', async () => {
    const feed = moduleRef.get(ProductFeedService);
    const rows: unknown[] = Array.from({ length: 1_000 }, (_, i) => ({
      externalId: `EXT-${i}`,
      ...body({ title: `Feed product ${i}`, brand: 'Feedco', categoryId: leafB.categoryId }),
    }));
    const bad = new Set([7, 99, 150, 333, 480, 500, 612, 777, 901, 999]);
    for (const i of bad) {
      const row = rows[i] as ProductInput;
      if (i % 2) row.variants[0].prices[0].currency = 'EUR';
      else row.categoryId = 'no-such-category';
    }
    const countB = await countOf(leafB.categoryId);
    const send = async () => {
      const results = [];
      for (let offset = 0; offset < rows.length; offset += 500) {
        const chunk = await feed.import({
          feedId: 'feed-1',
          sellerId: 'seller-feed',
          offset,
          rows: rows.slice(offset, offset + 500),
        });
        results.push(...chunk.results);
      }
      return results;
    };

    const first = await send();
    expect(first.map((r) => r.row)).toEqual(rows.map((_, i) => i));
    expect(first.filter((r) => r.status === 'rejected').map((r) => r.row)).toEqual([...bad]);
    expect(first.find((r) => r.row === 7)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: 'variants.0.prices.0.currency' })],
    });
    expect(first.find((r) => r.row === 150)).toMatchObject({
      code: 'INVALID_CATEGORY',
      errors: [expect.objectContaining({ field: 'categoryId' })],
    });
    expect(first.filter((r) => r.status === 'created')).toHaveLength(990);
    expect(published).toHaveLength(990);
    expect(await countOf(leafB.categoryId)).toBe(countB + 990);
    const sample = first[3];
    expect((await products.get(sample.productId!, 'us')).title).toBe('Feed product 3');

    published.length = 0;
    const again = await send();
    expect(again.filter((r) => r.status === 'unchanged')).toHaveLength(990);
    expect(again.filter((r) => r.status === 'rejected')).toHaveLength(10);
    expect(again.find((r) => r.row === 3)?.productId).toBe(sample.productId);
    expect(published).toEqual([]);

    (rows[3] as ProductInput).title = 'Feed product 3, renamed';
    const third = await feed.import({
      feedId: 'feed-2',
      sellerId: 'seller-feed',
      offset: 0,
      rows: rows.slice(0, 5),
    });
    expect(third.results.map((r) => r.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'updated',
      'unchanged',
    ]);
    expect(third.results[3]).toMatchObject({ productId: sample.productId, revision: 2 });
    expect(published).toEqual([
      expect.objectContaining({ productId: sample.productId, revision: 2 }),
    ]);
  }, 120_000);
});

describe('the outbox relay', () => {
  it('publishes a write whose publish failed', async () => {
    const relay = moduleRef.get(ProductsOutbox).relay;
    publish.mockRejectedValueOnce(new Error('broker down'));
    const created = await writes.create({ sellerId: 'seller-1', product: body() });
    expect(published).toEqual([]);
    expect(await findPending(dynamo.doc, dynamo.tables.of(PRODUCTS_TABLE), Date.now())).toEqual([
      { productId: created.productId, variantId: '#product' },
    ]);

    expect(await relay.runOnce()).toBe(1);
    expect(published).toEqual([
      expect.objectContaining({
        productId: created.productId,
        revision: 1,
        variants: created.variants,
      }),
    ]);
    expect(await findPending(dynamo.doc, dynamo.tables.of(PRODUCTS_TABLE), Date.now())).toEqual([]);
    expect(await relay.runOnce()).toBe(0);
  });

  it('derives the items and publishes for a writer that died right after its meta write', async () => {
    const relay = moduleRef.get(ProductsOutbox).relay;
    const repository = moduleRef.get(ProductsRepository);
    const crash = jest
      .spyOn(repository, 'writeDerived')
      .mockRejectedValueOnce(new Error('process died'));
    const created = await writes.create({
      sellerId: 'seller-1',
      product: body({ brand: 'Phoenix' }),
    });
    crash.mockRestore();
    expect(await listed({ brand: 'Phoenix' })).toEqual([]);
    expect(published).toEqual([]);

    expect(await relay.runOnce()).toBe(1);
    expect(await listed({ brand: 'Phoenix' })).toEqual([created.productId]);
    expect(published).toEqual([
      expect.objectContaining({ productId: created.productId, revision: 1 }),
    ]);
  });
});
