import {
  ImportProductFeed,
  MAX_PRODUCT_FEED_ROWS,
  MAX_PRODUCT_JSON_BYTES,
  productFeedRowSchema,
  type RequestOf,
} from '@mercato/contracts';
import { DEMO_CATEGORY_BY_ID, generateProduct } from '@mercato/demo-data';
import type { MessageBus } from '@mercato/messaging';
import { chunkOffsets, jsonBytesOf } from '../common/feed-chunks';
import {
  PRODUCT_CREATE_EXAMPLE,
  PRODUCT_FEED_EXAMPLE,
  PRODUCT_UPDATE_EXAMPLE,
  PRODUCT_UPDATE_EXAMPLE_ID,
  productBodySchema,
} from './seller-products.dto';
import { SellerProductsService } from './seller-products.service';

const isLeaf = (categoryId: string) => DEMO_CATEGORY_BY_ID.get(categoryId)?.children.length === 0;

describe('product request examples', () => {
  it('create: a valid body filed under a leaf of the demo catalog', () => {
    expect(productBodySchema.safeParse(PRODUCT_CREATE_EXAMPLE).success).toBe(true);
    expect(isLeaf(PRODUCT_CREATE_EXAMPLE.categoryId)).toBe(true);
    expect(productBodySchema.meta()?.example).toBe(PRODUCT_CREATE_EXAMPLE);
  });

  it('update: demo product p-000001 of the default seed, with its own category and SKUs', () => {
    expect(productBodySchema.safeParse(PRODUCT_UPDATE_EXAMPLE).success).toBe(true);
    const demo = generateProduct(42, 0);
    expect(demo.productId).toBe(PRODUCT_UPDATE_EXAMPLE_ID);
    expect(PRODUCT_UPDATE_EXAMPLE.categoryId).toBe(demo.categoryId);
    expect(isLeaf(PRODUCT_UPDATE_EXAMPLE.categoryId)).toBe(true);
    expect(PRODUCT_UPDATE_EXAMPLE.variants.map((v) => v.sku)).toEqual(
      demo.variants.map((v) => v.sku),
    );
  });

  it('feed: valid rows whose SKUs no other example uses', () => {
    for (const row of PRODUCT_FEED_EXAMPLE) {
      expect(productFeedRowSchema.safeParse(row).success).toBe(true);
      expect(isLeaf(row.categoryId)).toBe(true);
    }
    const skus = (body: { variants: { sku: string }[] }) => body.variants.map((v) => v.sku);
    const others = new Set([...skus(PRODUCT_CREATE_EXAMPLE), ...skus(PRODUCT_UPDATE_EXAMPLE)]);
    expect(PRODUCT_FEED_EXAMPLE.flatMap(skus).filter((s) => others.has(s))).toEqual([]);
  });
});

describe('chunkOffsets', () => {
  it('cuts by row count alone without a byte bound', () => {
    expect(
      chunkOffsets(
        Array.from({ length: 7 }, () => ({})),
        3,
      ),
    ).toEqual([0, 3, 6]);
    expect(chunkOffsets([], 3)).toEqual([]);
  });

  it('cuts before a row that would take a chunk over the byte bound; a big row goes alone', () => {
    const row = (chars: number) => ({ t: 'x'.repeat(chars) });
    const rows = [row(40), row(40), row(40), row(200), row(10), row(10)];
    // Each row costs its JSON bytes plus one (the comma of the array it travels in).
    expect(jsonBytesOf(row(40)) + 1).toBe(49);
    expect(chunkOffsets(rows, 100, 100)).toEqual([0, 2, 3, 4]);
    expect(chunkOffsets(rows, 1, 100)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('SellerProductsService.importFeed', () => {
  function serviceWithFakeCatalog() {
    const sent: RequestOf<typeof ImportProductFeed>[] = [];
    const bus = {
      request: jest.fn(async (_contract: unknown, payload: RequestOf<typeof ImportProductFeed>) => {
        sent.push(payload);
        return {
          results: payload.rows.map((r, i) => ({
            row: payload.offset + i,
            status: r === null ? ('rejected' as const) : ('created' as const),
          })),
        };
      }),
    };
    return { service: new SellerProductsService(bus as unknown as MessageBus), sent };
  }

  it('keeps each bus message under the byte bound and rejects a row too large to be a product', async () => {
    const { service, sent } = serviceWithFakeCatalog();
    const row = (i: number, chars: number) => ({ externalId: `row-${i}`, blob: 'x'.repeat(chars) });
    const rows = [
      row(0, 10),
      row(1, 300_000),
      row(2, 300_000),
      row(3, MAX_PRODUCT_JSON_BYTES),
      row(4, 300_000),
    ];
    const answer = await service.importFeed('feed-1', 'seller-1', rows, 'corr-1');

    expect(answer.results.map((r) => [r.row, r.status])).toEqual([
      [0, 'created'],
      [1, 'created'],
      [2, 'created'],
      [3, 'rejected'],
      [4, 'created'],
    ]);
    expect(answer.results[3]).toMatchObject({
      externalId: 'row-3',
      code: 'VALIDATION_FAILED',
      errors: [
        { field: '(row)', message: expect.stringContaining(String(MAX_PRODUCT_JSON_BYTES)) },
      ],
    });
    expect(answer.summary).toMatchObject({ rows: 5, created: 4, rejected: 1 });
    // The oversized row never travels; every message stays within the bound.
    expect(sent.flatMap((m) => m.rows)).toHaveLength(5);
    expect(sent.flatMap((m) => m.rows)[3]).toBeNull();
    for (const message of sent) {
      expect(jsonBytesOf(message.rows)).toBeLessThanOrEqual(MAX_PRODUCT_JSON_BYTES);
      expect(message.rows.length).toBeLessThanOrEqual(MAX_PRODUCT_FEED_ROWS);
    }
    expect(sent.map((m) => m.offset)).toEqual([0, 2, 4]);
  });

  it('still cuts a feed of small rows by the row count', async () => {
    const { service, sent } = serviceWithFakeCatalog();
    const rows = Array.from({ length: MAX_PRODUCT_FEED_ROWS + 1 }, (_, i) => ({
      externalId: `r${i}`,
    }));
    const answer = await service.importFeed('feed-2', 'seller-1', rows, 'corr-2');
    expect(sent.map((m) => m.rows.length)).toEqual([MAX_PRODUCT_FEED_ROWS, 1]);
    expect(answer.results.at(-1)!.row).toBe(MAX_PRODUCT_FEED_ROWS);
  });
});
