import { generateCatalog } from '@mercato/demo-data';
import { QuoteCart, type ProductDetail } from '@mercato/contracts';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { startCatalogTestApp, type CatalogTestApp } from '../../test/support/catalog-test-app';
import { ProductsService } from '../products/products.service';
import { PromotionsService } from '../promotions/promotions.service';

const PRODUCTS = 20;
const [first, second] = generateCatalog({ seed: 42, products: PRODUCTS });

let app: CatalogTestApp;
let bus: MessageBus;
let products: ProductsService;

beforeAll(async () => {
  app = await startCatalogTestApp(PRODUCTS, 42, [
    MessagingModule.forRoot({ MERCATO_BUS: 'memory', BUS_MAX_ATTEMPTS: 1 }),
  ]);
  bus = app.moduleRef.get(MessageBus);
  products = app.moduleRef.get(ProductsService);
  // An automatic promotion on the first product's brand, so detail and quote both discount it.
  await app.moduleRef.get(PromotionsService).create({
    name: 'Brand week',
    kind: 'percentage',
    percentOff: 15,
    target: { type: 'brands', brands: [first.brand] },
    stacking: 'stackable',
    createdBy: 'admin-1',
  });
  await app.moduleRef.get(PromotionsService).create({
    name: 'Welcome coupon',
    kind: 'fixed',
    amountOff: { EUR: 300, USD: 300 },
    target: { type: 'all' },
    stacking: 'stackable',
    coupon: { code: 'WELCOME-3' },
    createdBy: 'admin-1',
  });
}, 60_000);
afterAll(() => app?.close());

describe('QuoteCart', () => {
  it('prices a SKU as product detail shows it: the price after automatic promotions × quantity', async () => {
    const detail: ProductDetail = await products.get(first.productId, 'eu');
    const variant = detail.variants[0];
    const listPrice = variant.listPrice ?? variant.price;
    expect(variant.price.amount).toBeLessThan(listPrice.amount);

    const quote = await bus.request(QuoteCart, {
      region: 'eu',
      items: [{ sku: variant.sku, quantity: 3 }],
      coupons: [],
    });

    expect(quote).toMatchObject({ region: 'eu', currency: 'EUR', unavailableSkus: [] });
    expect(quote.lines).toEqual([
      {
        sku: variant.sku,
        productId: first.productId,
        variantId: variant.variantId,
        sellerId: 'mercato',
        title: detail.title,
        attributes: variant.attributes,
        imageUrl: detail.images[0] ?? null,
        quantity: 3,
        listPrice,
        listTotal: { amount: listPrice.amount * 3, currency: 'EUR' },
        discount: {
          amount: (listPrice.amount - variant.price.amount) * 3,
          currency: 'EUR',
        },
        lineTotal: { amount: variant.price.amount * 3, currency: 'EUR' },
        appliedPromotions: [
          expect.objectContaining({ name: 'Brand week', amount: expect.any(Object) }),
        ],
      },
    ]);
    expect(quote.total).toEqual({ amount: variant.price.amount * 3, currency: 'EUR' });
  });

  it('takes a coupon off when its code is given, and names its status', async () => {
    const sku = second.variants[0].sku;
    const without = await bus.request(QuoteCart, {
      region: 'us',
      items: [{ sku, quantity: 2 }],
      coupons: [],
    });
    const withCoupon = await bus.request(QuoteCart, {
      region: 'us',
      items: [{ sku, quantity: 2 }],
      coupons: ['welcome-3'],
    });

    expect(withCoupon.coupons).toEqual([
      { code: 'WELCOME-3', status: 'applied', promotionId: expect.any(String) },
    ]);
    expect(withCoupon.total.amount).toBe(without.total.amount - 2 * 300);
    expect(withCoupon.total.currency).toBe('USD');
  });

  it('lists an unknown SKU as unavailable and prices the rest', async () => {
    const sku = second.variants[0].sku;
    const quote = await bus.request(QuoteCart, {
      region: 'ap',
      items: [
        { sku: 'NO-SUCH-SKU', quantity: 1 },
        { sku: sku.toLowerCase(), quantity: 1 },
      ],
      coupons: ['NOPE-NOPE'],
    });

    expect(quote.unavailableSkus).toEqual(['NO-SUCH-SKU']);
    // Any case finds the SKU; the line spells it as catalog does.
    expect(quote.lines.map((l) => l.sku)).toEqual([sku]);
    expect(quote.subtotal).toEqual(quote.lines[0].listTotal);
    expect(quote.coupons).toEqual([{ code: 'NOPE-NOPE', status: 'unknown', promotionId: null }]);
  });
});
