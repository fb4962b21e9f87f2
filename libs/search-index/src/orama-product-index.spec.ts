import { productIndexContract, searchTextContract } from '@mercato/testing';
import { OramaProductIndex } from './orama-product-index';

productIndexContract('orama (embedded)', () => Promise.resolve(new OramaProductIndex()));
searchTextContract('orama (embedded)', () => Promise.resolve(new OramaProductIndex()));

describe('OramaProductIndex', () => {
  it('shows writes at once, without a refresh', async () => {
    const index = new OramaProductIndex();
    await index.init();
    await index.upsertMany([
      {
        productId: 'p-1',
        title: 'Desk Lamp',
        description: 'Warm light.',
        brand: 'Lumen',
        categoryId: 'lamps',
        categoryPath: ['home', 'lamps'],
        categoryNames: ['Home', 'Lamps'],
        prices: { us: 1_999, eu: 1_899, ap: 3_000 },
        rating: 0,
        ratingCount: 0,
        popularity: 0,
        salesVelocity: 0,
        inStockRegions: ['us'],
        specs: [],
        createdAt: '2026-01-01T00:00:00.000Z',
        attributes: ['White'],
      },
    ]);
    await expect(index.count()).resolves.toBe(1);
    await expect(
      index.search({ text: 'lamp', region: 'us', limit: 5, offset: 0 }),
    ).resolves.toMatchObject({
      total: 1,
      hits: [{ productId: 'p-1' }],
    });
    await expect(index.health()).resolves.toEqual({
      up: true,
      detail: 'embedded Orama index: 1 products',
    });
    await index.close();
  });
});
