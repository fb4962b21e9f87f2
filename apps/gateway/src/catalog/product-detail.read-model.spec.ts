import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { CacheModule, KeyValueCache } from '@mercato/cache';
import {
  GetAvailability,
  GetProduct,
  ProductChanged,
  StockChanged,
  type Envelope,
  type ProductDetail,
  type Region,
  type RequestOf,
} from '@mercato/contracts';
import { MessageBus, MessagingModule, OnRequest } from '@mercato/messaging';
import { CatalogGatewayService } from './catalog.service';
import { ProductDetailReadModel } from './product-detail.read-model';

/** Stands in for the catalog and inventory services on the bus, counting what they are asked. */
@Injectable()
class FakeServices {
  productCalls = 0;
  stockCalls = 0;
  title = 'Northwind Ultra Laptop';
  available = 7;
  /** The correlation id of every request the services were sent, in order. */
  correlationIds: string[] = [];

  @OnRequest(GetProduct)
  async product(
    { productId, region }: RequestOf<typeof GetProduct>,
    envelope: Envelope,
  ): Promise<ProductDetail> {
    this.productCalls++;
    this.correlationIds.push(envelope.correlationId);
    if (productId === 'p-missing')
      throw Object.assign(new Error('no such product'), { status: 404, code: 'PRODUCT_NOT_FOUND' });
    if (productId === 'p-us-only' && region !== 'us')
      throw Object.assign(new Error('not sold here'), {
        status: 404,
        code: 'PRODUCT_NOT_SOLD_IN_REGION',
      });
    return {
      productId,
      title: this.title,
      description: 'A laptop',
      brand: 'Northwind',
      category: {
        categoryId: 'laptops',
        name: 'Laptops',
        path: [{ categoryId: 'laptops', name: 'Laptops' }],
      },
      images: [],
      specs: {},
      rating: { average: 4.5, count: 10 },
      region,
      variants: [
        {
          variantId: `${productId}-v1`,
          sku: `SKU-${productId}`,
          attributes: {},
          price: { amount: 1000, currency: region === 'eu' ? 'EUR' : 'USD' },
        },
      ],
      createdAt: '2026-01-01T00:00:00.000Z',
    };
  }

  @OnRequest(GetAvailability)
  async stock({ skus }: RequestOf<typeof GetAvailability>, envelope: Envelope) {
    this.stockCalls++;
    this.correlationIds.push(envelope.correlationId);
    return { items: skus.map((sku) => ({ sku, available: this.available, warehouses: [] })) };
  }
}

describe('ProductDetailReadModel', () => {
  let moduleRef: TestingModule;
  let model: ProductDetailReadModel;
  let services: FakeServices;
  let bus: MessageBus;
  const REQUEST = 'corr-read-model';
  const detail = async (id: string, region: Region = 'us') =>
    JSON.parse(await model.json(id, region, REQUEST));

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        MessagingModule.forRoot({
          MERCATO_BUS: 'memory',
          BUS_MAX_ATTEMPTS: 2,
          BUS_RETRY_BACKOFF_MS: 1,
        }),
        CacheModule.forRoot({ MERCATO_CACHE: 'memory' }),
      ],
      providers: [FakeServices, CatalogGatewayService, ProductDetailReadModel],
    })
      .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
      .compile();
    await moduleRef.init();
    model = moduleRef.get(ProductDetailReadModel);
    services = moduleRef.get(FakeServices);
    bus = moduleRef.get(MessageBus);
  });
  afterEach(() => moduleRef.close());

  it('asks the services once per product and region, then serves the stored JSON', async () => {
    const first = await model.json('p-1', 'us', REQUEST);
    expect(await model.json('p-1', 'us', REQUEST)).toBe(first);
    expect(JSON.parse(first)).toMatchObject({ productId: 'p-1', variants: [{ available: 7 }] });
    expect(services.productCalls).toBe(1);
    await detail('p-1', 'eu');
    expect(services.productCalls).toBe(2);
  });

  it('keeps the JSON in the shared cache for other gateways', async () => {
    await model.json('p-2', 'eu', REQUEST);
    const shared = moduleRef.get(KeyValueCache);
    expect(await shared.get('gateway:product-detail:v1:eu:p-2')).toContain('"currency":"EUR"');
  });

  it('drops every region of a product when the product changes', async () => {
    await detail('p-3', 'us');
    await detail('p-3', 'ap');
    services.title = 'Northwind Ultra Laptop (2027)';
    await bus.publish(ProductChanged, { productId: 'p-3', revision: 2 }, { key: 'p-3' });
    await bus.drain();
    expect((await detail('p-3', 'us')).title).toBe('Northwind Ultra Laptop (2027)');
    expect((await detail('p-3', 'ap')).title).toBe('Northwind Ultra Laptop (2027)');
  });

  it('drops a product when its stock changes, so availability follows', async () => {
    await detail('p-4');
    services.available = 0;
    await bus.publish(StockChanged, { sku: 'SKU-p-4', productId: 'p-4' }, { key: 'SKU-p-4' });
    await bus.drain();
    expect((await detail('p-4')).variants[0].available).toBe(0);
  });

  it('does not store an unknown product', async () => {
    await expect(model.json('p-missing', 'us', REQUEST)).rejects.toMatchObject({ status: 404 });
    await expect(model.json('p-missing', 'us', REQUEST)).rejects.toMatchObject({ status: 404 });
    expect(services.productCalls).toBe(2);
  });

  it('answers a product not sold in a region with 404 there, whatever another region holds', async () => {
    expect((await detail('p-us-only', 'us')).region).toBe('us');
    expect(model.peek('p-us-only', 'us')).toBeDefined();
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(model.json('p-us-only', 'eu', REQUEST)).rejects.toMatchObject({
        status: 404,
        code: 'PRODUCT_NOT_SOLD_IN_REGION',
      });
    }
    expect(model.peek('p-us-only', 'eu')).toBeUndefined();
    expect(services.productCalls).toBe(3);
  });

  it('sends the services the correlation id of the request that missed', async () => {
    await model.json('p-7', 'us', 'corr-first-miss');
    await model.availabilityJson('p-7', 'us', 'corr-availability');
    expect(services.correlationIds).toEqual([
      'corr-first-miss',
      'corr-first-miss',
      'corr-availability',
      'corr-availability',
    ]);
  });

  it('serves from the services when the shared cache fails, and stores again once it is back', async () => {
    const shared = moduleRef.get(KeyValueCache);
    const failing = jest.spyOn(shared, 'get').mockRejectedValue(new Error('cannot reach Redis'));
    const setFailing = jest.spyOn(shared, 'set').mockRejectedValue(new Error('cannot reach Redis'));
    expect((await detail('p-5')).productId).toBe('p-5');
    expect((await detail('p-5')).productId).toBe('p-5');
    expect(services.productCalls).toBe(2);
    failing.mockRestore();
    setFailing.mockRestore();
    await detail('p-5');
    await detail('p-5');
    expect(services.productCalls).toBe(3);
  });
});
