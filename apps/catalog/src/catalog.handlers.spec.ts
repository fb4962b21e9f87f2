import { BrowseProducts, GetProduct, ListCategories } from '@mercato/contracts';
import { MessageBus, MessagingModule, RemoteError } from '@mercato/messaging';
import { startCatalogTestApp, type CatalogTestApp } from '../test/support/catalog-test-app';

let app: CatalogTestApp;
let bus: MessageBus;

beforeAll(async () => {
  app = await startCatalogTestApp(120, 42, [
    MessagingModule.forRoot({
      MERCATO_BUS: 'memory',
      BUS_MAX_ATTEMPTS: 1,
      BUS_RETRY_BACKOFF_MS: 1,
    }),
  ]);
  bus = app.moduleRef.get(MessageBus);
}, 60_000);
afterAll(() => app?.close());

describe('catalog over the bus', () => {
  it('answers ListCategories, BrowseProducts and GetProduct within their contracts', async () => {
    const { items: tree } = await bus.request(ListCategories, {});
    expect(tree.reduce((sum, c) => sum + c.productCount, 0)).toBe(120);

    const page = await bus.request(BrowseProducts, { region: 'ap', sort: 'price_asc', limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.items[0].price.currency).toBe('JPY');

    const detail = await bus.request(GetProduct, {
      productId: page.items[0].productId,
      region: 'eu',
    });
    expect(detail.variants.every((v) => v.price.currency === 'EUR')).toBe(true);
  });

  it('turns an unknown product into a 404 PRODUCT_NOT_FOUND for the caller', async () => {
    const failure = await bus
      .request(GetProduct, { productId: 'p-404404', region: 'us' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RemoteError);
    expect(failure).toMatchObject({ status: 404, code: 'PRODUCT_NOT_FOUND' });
  });
});
