import {
  ContractViolation,
  CreatePromotion,
  EndPromotion,
  GetPromotion,
  ListPromotions,
  PriceCart,
  RedeemCoupon,
  UpdatePromotion,
  type Promotion,
  type PromotionChanges,
} from '@mercato/contracts';
import { MessageBus, MessagingModule, RemoteError } from '@mercato/messaging';
import { startCatalogTestApp, type CatalogTestApp } from '../../test/support/catalog-test-app';
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

describe('reading, changing and ending a promotion', () => {
  /** A brand no other test targets, so exclusive promotions of one test never meet another's. */
  let brands = 0;
  const nextBrand = () => `Lifecycle-Brand-${++brands}`;
  /** An automatic promotion of a SKU of its own (none of them reprices another test's). */
  const own = (extra: Partial<CreatePromotionCommand> = {}) =>
    percentage({ target: { type: 'skus', skus: [`LIFE-${++brands}`] }, ...extra } as never);
  const priceOf = (brand: string, amount = 10_000) =>
    service.priceProduct(
      {
        productId: 'p-life',
        brand,
        categoryPath: ['garden'],
        variants: [{ sku: 'PRICE-PROBE', price: { amount, currency: 'USD' } }],
      },
      'us',
    ).variants[0].price.amount;

  it('answers one promotion with its status and usage, and 404 for an unknown id', async () => {
    const created = await service.create(
      percentage({ coupon: { code: nextCode('GET'), totalLimit: 3 }, startsAt: later(YEAR) }),
    );
    const got = await bus.request(GetPromotion, { promotionId: created.promotionId });
    expect(got).toMatchObject({
      ...created,
      status: 'scheduled',
      usage: { used: 0, remaining: 3 },
      version: 1,
      updatedBy: null,
    });
    const missing = await bus
      .request(GetPromotion, { promotionId: 'no-such-promotion' })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RemoteError);
    expect(missing).toMatchObject({ status: 404, code: 'PROMOTION_NOT_FOUND' });
  });

  it('changes the given fields, records who and when, reprices and announces the change', async () => {
    const brand = nextBrand();
    const created = await service.create(
      percentage({ name: 'Ten', target: { type: 'brands', brands: [brand] } }),
    );
    expect(priceOf(brand)).toBe(9_000);
    const before = await repository.readEpoch();
    const updated = await bus.request(UpdatePromotion, {
      promotionId: created.promotionId,
      changes: { name: 'Twenty', percentOff: 20, endsAt: later(YEAR) },
      updatedBy: 'admin-9',
    });
    expect(updated).toMatchObject({
      promotionId: created.promotionId,
      name: 'Twenty',
      kind: 'percentage',
      percentOff: 20,
      target: { type: 'brands', brands: [brand] },
      createdBy: 'admin-1',
      createdAt: created.createdAt,
      updatedBy: 'admin-9',
      updatedAt: expect.any(String),
      version: 2,
      status: 'active',
    });
    expect(Date.parse(updated.endsAt!)).toBeGreaterThan(Date.now());
    expect(await repository.getPromotion(created.promotionId)).toEqual(
      expect.objectContaining({ name: 'Twenty', percentOff: 20, version: 2 }),
    );
    expect(priceOf(brand)).toBe(8_000);
    const after = await repository.readEpoch();
    expect(after.epoch).toBe(before.epoch + 1);
    expect(after.publishedEpoch).toBe(after.epoch);
  });

  it.each([
    ['a percentage of 0', { percentOff: 0 }, 'percentOff'],
    ['a change of kind', { kind: 'fixed' }, ''],
    ['a coupon code', { coupon: { code: 'NEWCODE' } }, 'coupon'],
    ['an end before the start', { startsAt: later(2 * YEAR), endsAt: later(YEAR) }, 'endsAt'],
    ['no field at all', {}, ''],
  ])('refuses %s at the contract (400), changing nothing', async (_name, changes, field) => {
    const created = await service.create(own());
    const failure = await bus
      .request(UpdatePromotion, {
        promotionId: created.promotionId,
        changes: changes as never,
        updatedBy: 'admin-9',
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ContractViolation);
    expect((failure as ContractViolation).issues.map((i) => i.path)).toContain(
      field ? `changes.${field}` : 'changes',
    );
    expect(await repository.getPromotion(created.promotionId)).toEqual(created);
  });

  it('refuses what does not fit the stored promotion with 400 field errors, changing nothing', async () => {
    const created = await service.create(own({ startsAt: later(-60_000), endsAt: later(YEAR) }));
    const refuse = async (changes: PromotionChanges) =>
      bus
        .request(UpdatePromotion, {
          promotionId: created.promotionId,
          changes,
          updatedBy: 'admin-9',
        })
        .catch((e: unknown) => e);
    expect(await refuse({ amountOff: { USD: 100 }, getQuantity: 1 })).toMatchObject({
      status: 400,
      code: 'INVALID_PROMOTION',
      errors: [
        { field: 'amountOff', message: expect.any(String) },
        { field: 'getQuantity', message: expect.any(String) },
      ],
    });
    expect(await refuse({ coupon: { totalLimit: 5 } })).toMatchObject({
      status: 400,
      errors: [{ field: 'coupon', message: expect.any(String) }],
    });
    // Consistent only once merged with the stored end.
    expect(await refuse({ startsAt: later(2 * YEAR) })).toMatchObject({
      status: 400,
      errors: [{ field: 'endsAt', message: expect.stringContaining('after startsAt') }],
    });
    expect(await refuse({ endsAt: later(-1_000) })).toMatchObject({
      status: 400,
      errors: [{ field: 'endsAt', message: 'The promotion would already be over' }],
    });
    expect(
      await refuse({ target: { type: 'categories', categoryIds: ['laptops', 'nowhere'] } }),
    ).toMatchObject({
      status: 400,
      errors: [{ field: 'target.categoryIds.1', message: 'Unknown category nowhere' }],
    });
    expect(await repository.getPromotion(created.promotionId)).toEqual(created);
  });

  it('re-checks the exclusive overlap against the others, never against itself', async () => {
    const [first, second] = [nextBrand(), nextBrand()];
    const a = await service.create(
      percentage({ stacking: 'exclusive', target: { type: 'brands', brands: [first] } }),
    );
    const b = await service.create(
      percentage({ stacking: 'exclusive', target: { type: 'brands', brands: [second] } }),
    );
    const renamed = await service.update({
      promotionId: a.promotionId,
      changes: { name: 'Still exclusive', percentOff: 25 },
      updatedBy: 'admin-9',
    });
    expect(renamed.version).toBe(2);
    const clash = await bus
      .request(UpdatePromotion, {
        promotionId: b.promotionId,
        changes: { target: { type: 'brands', brands: [second, first] } },
        updatedBy: 'admin-9',
      })
      .catch((e: unknown) => e);
    expect(clash).toMatchObject({ status: 422, code: 'OVERLAPPING_EXCLUSIVE_PROMOTIONS' });
    expect(await repository.getPromotion(b.promotionId)).toEqual(b);
  });

  it('refuses a change made on an older version (If-Match) with 409, changing nothing', async () => {
    const created = await service.create(own());
    await service.update({
      promotionId: created.promotionId,
      changes: { name: 'First' },
      expectedVersion: 1,
      updatedBy: 'admin-1',
    });
    const stale = await bus
      .request(UpdatePromotion, {
        promotionId: created.promotionId,
        changes: { name: 'Second' },
        expectedVersion: 1,
        updatedBy: 'admin-2',
      })
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({ status: 409, code: 'PROMOTION_VERSION_CONFLICT' });
    expect(await repository.getPromotion(created.promotionId)).toMatchObject({
      name: 'First',
      version: 2,
      updatedBy: 'admin-1',
    });
  });

  it('loses no change when several admins change different fields at once', async () => {
    const created = await service.create(own({ coupon: { code: nextCode('RACE') } }));
    const changes: PromotionChanges[] = [
      { name: 'Renamed' },
      { percentOff: 35 },
      { endsAt: later(YEAR) },
      { coupon: { totalLimit: 7 } },
      { coupon: { perCustomerLimit: 2 } },
    ];
    await Promise.all(
      changes.map((change, i) =>
        service.update({
          promotionId: created.promotionId,
          changes: change,
          updatedBy: `admin-${i}`,
        }),
      ),
    );
    const stored = await repository.getPromotion(created.promotionId);
    expect(stored).toMatchObject({
      name: 'Renamed',
      percentOff: 35,
      coupon: { code: created.coupon!.code, totalLimit: 7, perCustomerLimit: 2 },
      version: 6,
    });
    expect(stored!.endsAt).not.toBeNull();
  });

  it('applies changed coupon limits to redemptions', async () => {
    const created = await service.create(
      percentage({ coupon: { code: nextCode('LIM'), totalLimit: 1 } }),
    );
    const code = created.coupon!.code;
    expect(await service.redeemCoupon(code, 'c-1', 'o-1')).toBe('redeemed');
    expect(await service.redeemCoupon(code, 'c-2', 'o-2')).toBe('exhausted');
    const raised = await service.update({
      promotionId: created.promotionId,
      changes: { coupon: { totalLimit: 2, perCustomerLimit: 1 } },
      updatedBy: 'admin-1',
    });
    expect(raised.usage).toEqual({ used: 1, remaining: 1 });
    expect(await service.redeemCoupon(code, 'c-1', 'o-3')).toBe('customer_limit');
    expect(await service.redeemCoupon(code, 'c-2', 'o-2')).toBe('redeemed');
    await service.update({
      promotionId: created.promotionId,
      changes: { coupon: { totalLimit: null, perCustomerLimit: null } },
      updatedBy: 'admin-1',
    });
    expect(await service.redeemCoupon(code, 'c-1', 'o-4')).toBe('redeemed');
    // The code itself is kept: it was never part of the change.
    expect((await repository.getPromotion(created.promotionId))!.coupon).toEqual({
      code,
      totalLimit: null,
      perCustomerLimit: null,
    });
  });

  it('ends a promotion now: it stays readable as ended, prices and its coupon stop at once', async () => {
    const brand = nextBrand();
    const created = await service.create(
      percentage({
        target: { type: 'brands', brands: [brand] },
        coupon: undefined,
        endsAt: later(YEAR),
      }),
    );
    const coupon = await service.create(own({ coupon: { code: nextCode('END') } }));
    expect(priceOf(brand)).toBe(9_000);
    const before = await repository.readEpoch();

    const endedAt = Date.now();
    const ended = await bus.request(EndPromotion, {
      promotionId: created.promotionId,
      endedBy: 'admin-7',
    });
    expect(ended).toMatchObject({ status: 'ended', updatedBy: 'admin-7', version: 2 });
    expect(Date.parse(ended.endsAt!)).toBeGreaterThanOrEqual(endedAt);
    expect(Date.parse(ended.endsAt!)).toBeLessThanOrEqual(Date.now());
    expect(priceOf(brand)).toBe(10_000);
    expect(service.cached().map((p) => p.promotionId)).not.toContain(created.promotionId);
    expect((await repository.readEpoch()).epoch).toBe(before.epoch + 1);
    expect(await bus.request(GetPromotion, { promotionId: created.promotionId })).toEqual(ended);

    await service.end(coupon.promotionId, 'admin-7');
    expect(await service.redeemCoupon(coupon.coupon!.code, 'c-1', 'o-1')).toBe('expired');
  });

  it('ends idempotently: ending again answers the same and writes nothing', async () => {
    const created = await service.create(own());
    const first = await service.end(created.promotionId, 'admin-1');
    const epoch = await repository.readEpoch();
    const again = await bus.request(EndPromotion, {
      promotionId: created.promotionId,
      endedBy: 'admin-2',
    });
    expect(again).toEqual(first);
    expect(await repository.readEpoch()).toEqual(epoch);
    const missing = await bus
      .request(EndPromotion, { promotionId: 'no-such-promotion', endedBy: 'admin-1' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'PROMOTION_NOT_FOUND' });
  });

  it('refuses to change or revive an ended promotion with 409', async () => {
    const created = await service.create(own());
    const ended = await service.end(created.promotionId, 'admin-1');
    for (const changes of [{ endsAt: later(YEAR) }, { endsAt: null }, { name: 'Back' }]) {
      const failure = await bus
        .request(UpdatePromotion, {
          promotionId: created.promotionId,
          changes,
          updatedBy: 'admin-1',
        })
        .catch((e: unknown) => e);
      expect(failure).toMatchObject({ status: 409, code: 'PROMOTION_ENDED' });
    }
    const { status, usage, ...stored } = ended;
    expect(status).toBe('ended');
    expect(usage).toBeNull();
    expect(await repository.getPromotion(created.promotionId)).toEqual(stored);
  });

  it('ends a scheduled promotion as ended, and what has ended no longer blocks an exclusive', async () => {
    const brand = nextBrand();
    const exclusive = (extra: Partial<CreatePromotionCommand>) =>
      own({ stacking: 'exclusive', target: { type: 'brands', brands: [brand] }, ...extra });
    const handover = later(YEAR);
    const scheduled = await service.create(exclusive({ startsAt: handover }));
    const running = await service.create(exclusive({ endsAt: handover }));
    expect((await service.end(scheduled.promotionId, 'admin-1')).status).toBe('ended');
    expect((await service.end(running.promotionId, 'admin-1')).status).toBe('ended');
    // Unbounded in both directions: it would have overlapped both of them.
    const replacement = await service.create(exclusive({ name: 'Replacement' }));
    expect((await service.get(replacement.promotionId)).status).toBe('active');
  });

  it('reads a promotion stored before versions existed as version 1, and changes it', async () => {
    const promotion = await service.create(own({ name: 'Old' }));
    const { updatedBy: _by, updatedAt: _at, version: _v, ...old } = promotion;
    await repository.deletePromotion(promotion.promotionId);
    await repository.putPromotion(old as Promotion);
    expect(await service.get(promotion.promotionId)).toMatchObject({
      version: 1,
      updatedBy: null,
    });
    const updated = await service.update({
      promotionId: promotion.promotionId,
      changes: { name: 'New' },
      expectedVersion: 1,
      updatedBy: 'admin-1',
    });
    expect(updated).toMatchObject({ name: 'New', version: 2 });
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
      updatedBy: null,
      updatedAt: null,
      version: 1,
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
