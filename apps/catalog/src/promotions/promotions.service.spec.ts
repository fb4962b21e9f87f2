import {
  ContractViolation,
  CreatePromotion,
  ListPromotions,
  PriceCart,
  RedeemCoupon,
  type Promotion,
} from '@mercato/contracts';
import { MessageBus, MessagingModule, RemoteError } from '@mercato/messaging';
import { startCatalogTestApp, type CatalogTestApp } from '../testing/catalog-test-app';
import { PromotionsRepository } from './promotions.repository';
import {
  PromotionsService,
  RELAY_AFTER_MS,
  type CreatePromotionCommand,
} from './promotions.service';

let app: CatalogTestApp;
let bus: MessageBus;
let service: PromotionsService;
let repository: PromotionsRepository;

beforeAll(async () => {
  app = await startCatalogTestApp(20, 42, [
    MessagingModule.forRoot({
      MERCATO_BUS: 'memory',
      BUS_MAX_ATTEMPTS: 1,
      BUS_RETRY_BACKOFF_MS: 1,
    }),
  ]);
  bus = app.moduleRef.get(MessageBus);
  service = app.moduleRef.get(PromotionsService);
  repository = app.moduleRef.get(PromotionsRepository);
}, 60_000);
afterAll(() => app?.close());

const YEAR = 365 * 24 * 3_600_000;
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

/** A unique coupon code per call, so tests sharing the table never collide by accident. */
let codes = 0;
const nextCode = (prefix: string) =>
  `${prefix}-${++codes}-${Date.now().toString(36).toUpperCase()}`;

function percentage(
  extra: Partial<Extract<CreatePromotionCommand, { kind: 'percentage' }>> = {},
): CreatePromotionCommand {
  return {
    name: '10% off',
    kind: 'percentage',
    percentOff: 10,
    target: { type: 'all' },
    stacking: 'stackable',
    createdBy: 'admin-1',
    ...extra,
  } as CreatePromotionCommand;
}

const storedIds = async () => (await repository.listPromotions()).map((p) => p.promotionId).sort();

describe('creating and listing promotions', () => {
  it('stores a promotion, lists it, reloads the cache and announces the new epoch', async () => {
    const before = await repository.readEpoch();
    const created = await bus.request(
      CreatePromotion,
      percentage({
        name: 'Laptops week',
        target: { type: 'categories', categoryIds: ['laptops'] },
        startsAt: later(-60_000),
        endsAt: later(7 * 24 * 3_600_000),
      }),
    );
    expect(created).toMatchObject({
      promotionId: expect.any(String),
      kind: 'percentage',
      percentOff: 10,
      coupon: null,
      createdBy: 'admin-1',
    });

    const { items } = await bus.request(ListPromotions, {});
    expect(items.find((p) => p.promotionId === created.promotionId)).toMatchObject({
      name: 'Laptops week',
      status: 'active',
      usage: null,
    });
    expect(service.cached().map((p) => p.promotionId)).toContain(created.promotionId);
    const after = await repository.readEpoch();
    expect(after.epoch).toBe(before.epoch + 1);
    expect(after.publishedEpoch).toBe(after.epoch);
  });

  it('prices a product from the cache with the new promotion', async () => {
    await service.create(
      percentage({
        name: 'Sonora audio',
        target: { type: 'brands', brands: ['Sonora-Test'] },
        percentOff: 15,
        endsAt: later(YEAR),
      }),
    );
    const pricing = service.priceProduct(
      {
        productId: 'p-x',
        brand: 'Sonora-Test',
        categoryPath: ['electronics', 'audio', 'speakers'],
        variants: [{ sku: 'SPK-1', price: { amount: 999, currency: 'JPY' } }],
      },
      'ap',
    );
    expect(pricing.variants[0].price).toEqual({ amount: 849, currency: 'JPY' });
    expect(pricing.variants[0].promotions.map((p) => p.name)).toContain('Sonora audio');
    expect(pricing.pricesValidUntil).not.toBeNull();
  });

  it.each([
    ['a percentage of 0', { percentOff: 0 }, 'percentOff'],
    ['a percentage over 100', { percentOff: 101 }, 'percentOff'],
    ['a fixed amount without currency', { kind: 'fixed', amountOff: 500 }, 'amountOff'],
    ['a fixed amount with no currencies', { kind: 'fixed', amountOff: {} }, 'amountOff'],
    [
      'a fixed amount in an unknown currency',
      { kind: 'fixed', amountOff: { GBP: 5 } },
      'amountOff',
    ],
    ['a fractional fixed amount', { kind: 'fixed', amountOff: { USD: 4.5 } }, 'amountOff.USD'],
    ['buy 0 get 1', { kind: 'buy_x_get_y', buyQuantity: 0, getQuantity: 1 }, 'buyQuantity'],
    ['an end before the start', { startsAt: later(2 * YEAR), endsAt: later(YEAR) }, 'endsAt'],
    ['a lower-case coupon code', { coupon: { code: 'save10' } }, 'coupon.code'],
    ['a two-letter coupon code', { coupon: { code: 'AB' } }, 'coupon.code'],
  ])('refuses %s at the contract (400), storing nothing', async (_name, change, field) => {
    const before = await storedIds();
    const bad = { ...percentage(), percentOff: undefined, ...change } as Record<string, unknown>;
    if (bad.kind === 'percentage' && bad.percentOff === undefined) bad.percentOff = 10;
    const failure = await bus.request(CreatePromotion, bad as never).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ContractViolation);
    expect((failure as ContractViolation).issues.map((i) => i.path)).toContain(field);
    expect(await storedIds()).toEqual(before);
  });

  it('refuses unknown categories and windows already over with 400 and field errors', async () => {
    const before = await storedIds();
    const failure = await bus
      .request(
        CreatePromotion,
        percentage({
          target: { type: 'categories', categoryIds: ['laptops', 'no-such-category'] },
          startsAt: later(-2 * YEAR),
          endsAt: later(-YEAR),
        }),
      )
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RemoteError);
    expect(failure).toMatchObject({
      status: 400,
      code: 'INVALID_PROMOTION',
      errors: [
        { field: 'endsAt', message: expect.any(String) },
        { field: 'target.categoryIds.1', message: 'Unknown category no-such-category' },
      ],
    });
    expect(await storedIds()).toEqual(before);
  });

  it('refuses a coupon code already in use with 409, storing nothing', async () => {
    const code = nextCode('TAKEN');
    await service.create(percentage({ coupon: { code } }));
    const before = await storedIds();
    const failure = await bus
      .request(CreatePromotion, percentage({ name: 'copy', coupon: { code } }))
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 409, code: 'COUPON_CODE_TAKEN' });
    expect(await storedIds()).toEqual(before);
  });

  it('refuses overlapping exclusive automatic promotions with 422, storing nothing', async () => {
    const window = { startsAt: later(YEAR), endsAt: later(YEAR + 30 * 24 * 3_600_000) };
    await service.create(
      percentage({
        stacking: 'exclusive',
        target: { type: 'categories', categoryIds: ['computers'] },
        ...window,
      }),
    );
    const before = await storedIds();
    for (const target of [
      { type: 'categories' as const, categoryIds: ['laptops'] }, // a descendant
      { type: 'categories' as const, categoryIds: ['electronics'] }, // an ancestor
      { type: 'categories' as const, categoryIds: ['computers'] }, // the same
      { type: 'all' as const },
    ]) {
      const failure = await bus
        .request(CreatePromotion, percentage({ stacking: 'exclusive', target, ...window }))
        .catch((e: unknown) => e);
      expect(failure).toMatchObject({ status: 422, code: 'OVERLAPPING_EXCLUSIVE_PROMOTIONS' });
    }
    expect(await storedIds()).toEqual(before);

    // Not overlapping: another branch of the tree, a later window, coupon-gated, stackable.
    await service.create(
      percentage({
        stacking: 'exclusive',
        target: { type: 'categories', categoryIds: ['audio'] },
        ...window,
      }),
    );
    await service.create(
      percentage({
        stacking: 'exclusive',
        target: { type: 'categories', categoryIds: ['laptops'] },
        startsAt: window.endsAt,
        endsAt: later(2 * YEAR),
      }),
    );
    await service.create(
      percentage({
        stacking: 'exclusive',
        target: { type: 'categories', categoryIds: ['laptops'] },
        coupon: { code: nextCode('EXCL') },
        ...window,
      }),
    );
    await service.create(
      percentage({ target: { type: 'categories', categoryIds: ['laptops'] }, ...window }),
    );
  });

  it('lets only one of three concurrent overlapping exclusive creates through', async () => {
    const exclusive = () =>
      service.create(
        percentage({
          stacking: 'exclusive',
          target: { type: 'brands', brands: ['Race-Brand'] },
          endsAt: later(YEAR),
        }),
      );
    const outcomes = await Promise.allSettled([exclusive(), exclusive(), exclusive()]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const stored = (await repository.listPromotions()).filter(
      (p) => p.target.type === 'brands' && p.target.brands.includes('Race-Brand'),
    );
    expect(stored).toHaveLength(1);
  });
});

describe('the in-memory promotions', () => {
  it('follows a change another process made, and relays the event it did not publish', async () => {
    // Another catalog process writes and dies before publishing its event.
    const token = 'other-process';
    expect(await repository.acquireWriteLock(token, Date.now(), 10_000)).toBe(true);
    const promotion: Promotion = {
      promotionId: 'from-elsewhere',
      name: 'Written elsewhere',
      kind: 'percentage',
      percentOff: 5,
      target: { type: 'skus', skus: ['ELSEWHERE-1'] },
      stacking: 'stackable',
      startsAt: null,
      endsAt: null,
      coupon: null,
      createdBy: 'admin-2',
      createdAt: new Date().toISOString(),
    };
    await repository.putPromotion(promotion);
    const epoch = await repository.commitChange(token, Date.now());
    // (The timer may have polled already; polling again is what it would do.)
    await service.poll();
    expect(service.cached().map((p) => p.promotionId)).toContain('from-elsewhere');
    expect((await repository.readEpoch()).publishedEpoch).toBeLessThan(epoch!);

    await service.poll(Date.now() + RELAY_AFTER_MS + 1);
    expect((await repository.readEpoch()).publishedEpoch).toBe(epoch);
  });
});

describe('coupon redemption', () => {
  async function couponPromotion(coupon: {
    totalLimit?: number;
    perCustomerLimit?: number;
  }): Promise<Promotion & { coupon: NonNullable<Promotion['coupon']> }> {
    const created = await service.create(
      percentage({ coupon: { code: nextCode('C'), ...coupon }, endsAt: later(YEAR) }),
    );
    return created as Promotion & { coupon: NonNullable<Promotion['coupon']> };
  }

  it('spends exactly the total limit when 30 customers redeem 5 uses at once', async () => {
    const { coupon } = await couponPromotion({ totalLimit: 5 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        bus.request(RedeemCoupon, { code: coupon.code, customerId: `c-${i}`, orderId: `o-${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 'redeemed')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'exhausted')).toHaveLength(25);
    const { items } = await bus.request(ListPromotions, {});
    expect(items.find((p) => p.coupon?.code === coupon.code)?.usage).toEqual({
      used: 5,
      remaining: 0,
    });
  });

  it('lets one customer with a limit of 1 redeem once out of 10 concurrent tries', async () => {
    const { coupon } = await couponPromotion({ perCustomerLimit: 1 });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        service.redeemCoupon(coupon.code, 'greedy', `order-${i}`),
      ),
    );
    expect(statuses.filter((s) => s === 'redeemed')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'customer_limit')).toHaveLength(9);
    expect(await service.redeemCoupon(coupon.code, 'someone-else', 'order-x')).toBe('redeemed');
  });

  it('counts the same order once, however often and concurrently it redeems', async () => {
    const { coupon } = await couponPromotion({ totalLimit: 3 });
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () => service.redeemCoupon(coupon.code, 'c-1', 'order-1')),
    );
    expect(statuses).toEqual(Array(5).fill('redeemed'));
    expect(await service.redeemCoupon(coupon.code.toLowerCase(), 'c-1', 'order-1')).toBe(
      'redeemed',
    );
    expect((await repository.couponUsage([coupon.code])).get(coupon.code)?.used).toBe(1);
  });

  it('gives a use back on release, once, so the last use can be spent again', async () => {
    const { coupon } = await couponPromotion({ totalLimit: 1 });
    expect(await service.redeemCoupon(coupon.code, 'c-1', 'o-1')).toBe('redeemed');
    expect(await service.redeemCoupon(coupon.code, 'c-2', 'o-2')).toBe('exhausted');
    expect(await service.releaseCoupon(coupon.code, 'c-1', 'o-1')).toBe('released');
    expect(await service.releaseCoupon(coupon.code, 'c-1', 'o-1')).toBe('not_redeemed');
    expect((await repository.couponUsage([coupon.code], 'c-1')).get(coupon.code)).toMatchObject({
      used: 0,
      byCustomer: 0,
    });
    expect(await service.redeemCoupon(coupon.code, 'c-2', 'o-2')).toBe('redeemed');
    expect(await service.releaseCoupon('NO-SUCH-CODE', 'c-1', 'o-1')).toBe('unknown');
  });

  it('refuses unknown codes and codes outside their window', async () => {
    const { coupon } = await couponPromotion({});
    expect(await service.redeemCoupon('NO-SUCH-CODE', 'c-1', 'o-1')).toBe('unknown');
    expect(
      await service.redeemCoupon(coupon.code, 'c-1', 'o-1', new Date(Date.now() + 2 * YEAR)),
    ).toBe('expired');
  });

  it('prices a cart with a coupon, and shows the customer limit once it is spent', async () => {
    const { coupon } = await couponPromotion({ perCustomerLimit: 1 });
    const cart = {
      region: 'us' as const,
      customerId: 'shopper',
      lines: [
        {
          sku: 'SKU-1',
          productId: 'p-1',
          brand: 'Nobody',
          categoryPath: ['garden'],
          quantity: 2,
          unitPrice: { amount: 1000, currency: 'USD' as const },
        },
      ],
      coupons: [coupon.code],
    };
    const priced = await bus.request(PriceCart, cart);
    expect(priced.coupons).toEqual([
      { code: coupon.code, status: 'applied', promotionId: expect.any(String) },
    ]);
    expect(priced.lines[0].appliedPromotions.map((p) => p.promotionId)).toContain(
      priced.coupons[0].promotionId,
    );

    const wrongCurrency = await bus
      .request(PriceCart, { ...cart, region: 'eu' })
      .catch((e: unknown) => e);
    expect(wrongCurrency).toMatchObject({
      status: 400,
      code: 'CURRENCY_MISMATCH',
      errors: [{ field: 'lines.0.unitPrice.currency', message: expect.any(String) }],
    });

    await service.redeemCoupon(coupon.code, 'shopper', 'o-shopper');
    const again = await bus.request(PriceCart, cart);
    expect(again.coupons[0].status).toBe('customer_limit');
    expect(again.discount.amount).toBe(priced.discount.amount - 200);
  });
});
