import type { Promotion, PromotionChanges } from '@mercato/contracts';
import { PromotionsErrorCode, PromotionsException } from './promotions.exception';
import {
  couponUsageView,
  exclusiveClashes,
  hasEnded,
  mergeChanges,
  statusAt,
  windowErrors,
  type CategoryPathOf,
} from './promotions.rules';

const NOW = new Date('2025-06-15T12:00:00.000Z');
const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

/** The demo tree's shape: department → category → leaf. */
const TREE: Record<string, readonly string[]> = {
  electronics: ['electronics'],
  computers: ['electronics', 'computers'],
  laptops: ['electronics', 'computers', 'laptops'],
  phones: ['electronics', 'phones'],
  home: ['home'],
};
const pathOf: CategoryPathOf = (categoryId) => TREE[categoryId] ?? [];

/** An automatic, stackable 10% promotion on everything, open-ended; `extra` overrides. */
function promotion(promotionId: string, extra: Partial<Promotion> = {}): Promotion {
  return {
    promotionId,
    name: `Promotion ${promotionId}`,
    kind: 'percentage',
    percentOff: 10,
    target: { type: 'all' },
    stacking: 'stackable',
    startsAt: null,
    endsAt: null,
    coupon: null,
    createdBy: 'admin',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedBy: null,
    updatedAt: null,
    version: 1,
    ...extra,
  } as Promotion;
}
const exclusive = (promotionId: string, extra: Partial<Promotion> = {}) =>
  promotion(promotionId, { stacking: 'exclusive', ...extra });
const coupon = { code: 'SAVE10', totalLimit: 100, perCustomerLimit: 1 };

/** The ids of the stored promotions `candidate` would clash with at NOW. */
const clashes = (candidate: Promotion, stored: Promotion[]) =>
  exclusiveClashes(candidate, stored, NOW.getTime(), pathOf).map((p) => p.promotionId);

/** The error a rule throws, for its code and field errors. */
function refusal(rule: () => unknown): PromotionsException {
  try {
    rule();
  } catch (error) {
    if (error instanceof PromotionsException) return error;
    throw error;
  }
  throw new Error('the rule accepted what it should refuse');
}

describe('a promotion’s status', () => {
  it('is scheduled before its start, active from its start instant, ended from its end instant', () => {
    const window = { startsAt: at(HOUR), endsAt: at(2 * HOUR) };
    expect(statusAt(window, NOW.getTime())).toBe('scheduled');
    expect(statusAt(window, NOW.getTime() + HOUR)).toBe('active');
    expect(statusAt(window, NOW.getTime() + 2 * HOUR)).toBe('ended');
  });

  it('is active forever without dates', () => {
    expect(statusAt({ startsAt: null, endsAt: null }, NOW.getTime())).toBe('active');
    expect(hasEnded({ startsAt: null, endsAt: null }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('is ended, not scheduled, once ended before it started', () => {
    expect(statusAt({ startsAt: at(HOUR), endsAt: at(0) }, NOW.getTime())).toBe('ended');
  });
});

describe('coupon usage as admins see it', () => {
  it('counts down the remaining uses and never shows fewer than none', () => {
    const limited = promotion('c', { coupon: { ...coupon, totalLimit: 5 } });
    expect(couponUsageView(limited, 3)).toEqual({ used: 3, remaining: 2 });
    expect(couponUsageView(limited, 7)).toEqual({ used: 7, remaining: 0 });
  });

  it('has no remaining count without a total limit, and no usage without a coupon', () => {
    expect(couponUsageView(promotion('c', { coupon: { ...coupon, totalLimit: null } }), 4)).toEqual(
      { used: 4, remaining: null },
    );
    expect(couponUsageView(promotion('auto'), 0)).toBeNull();
  });
});

describe('a promotion’s window', () => {
  it('may not be over already (its end at or before now)', () => {
    expect(windowErrors({ startsAt: null, endsAt: at(0) }, NOW)).toEqual([
      { field: 'endsAt', message: 'The promotion would already be over' },
    ]);
  });

  it('must end after it starts', () => {
    expect(windowErrors({ startsAt: at(2 * HOUR), endsAt: at(HOUR) }, NOW)).toEqual([
      { field: 'endsAt', message: `endsAt must be after startsAt (${at(2 * HOUR)})` },
    ]);
  });

  it('may start in the past or be open at either end', () => {
    expect(windowErrors({ startsAt: at(-HOUR), endsAt: at(HOUR) }, NOW)).toEqual([]);
    expect(windowErrors({ startsAt: null, endsAt: null }, NOW)).toEqual([]);
  });
});

describe('a change to a stored promotion', () => {
  const stored = promotion('p', {
    startsAt: at(-HOUR),
    endsAt: at(HOUR),
    coupon,
    version: 3,
  });
  const change = (changes: PromotionChanges, on: Promotion = stored) =>
    mergeChanges(on, changes, 'admin-2', NOW);

  it('replaces the given fields, keeps the others, and records who, when and the next version', () => {
    const next = change({ name: 'Summer', percentOff: 15 });
    expect(next).toEqual({
      ...stored,
      name: 'Summer',
      percentOff: 15,
      updatedBy: 'admin-2',
      updatedAt: NOW.toISOString(),
      version: 4,
    });
  });

  it('clears a date with null, and stores dates as UTC instants', () => {
    const next = change({ endsAt: null, startsAt: '2025-06-15T14:00:00+02:00' });
    expect(next.endsAt).toBeNull();
    expect(next.startsAt).toBe('2025-06-15T12:00:00.000Z');
  });

  it('changes coupon limits one by one and never the code', () => {
    expect(change({ coupon: { perCustomerLimit: null } }).coupon).toEqual({
      code: 'SAVE10',
      totalLimit: 100,
      perCustomerLimit: null,
    });
  });

  it('refuses the discount fields of another kind: a kind never changes', () => {
    const error = refusal(() => change({ amountOff: { USD: 500 }, getQuantity: 2 }));
    expect(error.code).toBe(PromotionsErrorCode.InvalidPromotion);
    expect(error.errors?.map((e) => e.field)).toEqual(['amountOff', 'getQuantity']);
  });

  it('refuses coupon limits on an automatic promotion: it cannot become a coupon', () => {
    const error = refusal(() => change({ coupon: { totalLimit: 5 } }, promotion('auto')));
    expect(error.errors).toEqual([
      {
        field: 'coupon',
        message: 'An automatic promotion has no coupon (create a coupon promotion instead)',
      },
    ]);
  });
});

describe('exclusive automatic promotions never meet on a product', () => {
  it('clash when both reach every product', () => {
    expect(clashes(exclusive('new'), [exclusive('old')])).toEqual(['old']);
  });

  it('never clash with themselves (an update is checked against the others)', () => {
    const stored = exclusive('same');
    expect(clashes({ ...stored, name: 'Renamed' }, [stored])).toEqual([]);
  });

  it('leave stackable and coupon promotions alone, on either side', () => {
    expect(clashes(exclusive('new'), [promotion('stackable'), exclusive('c', { coupon })])).toEqual(
      [],
    );
    expect(clashes(promotion('stackable'), [exclusive('old')])).toEqual([]);
    expect(clashes(exclusive('c', { coupon }), [exclusive('old')])).toEqual([]);
  });

  it('clash only when their windows share an instant from now on (half-open windows)', () => {
    const thisHour = exclusive('thisHour', { endsAt: at(HOUR) });
    expect(clashes(exclusive('nextHour', { startsAt: at(HOUR) }), [thisHour])).toEqual([]);
    expect(clashes(exclusive('overlaps', { startsAt: at(HOUR / 2) }), [thisHour])).toEqual([
      'thisHour',
    ]);
  });

  it('no longer clash with what is over, even if their windows met in the past', () => {
    const over = exclusive('over', { startsAt: at(-2 * HOUR), endsAt: at(0) });
    expect(clashes(exclusive('new', { startsAt: at(-3 * HOUR) }), [over])).toEqual([]);
  });

  it('clash only where both discount in a common currency', () => {
    const usd = exclusive('usd', { kind: 'fixed', amountOff: { USD: 500 } } as Partial<Promotion>);
    const eur = exclusive('eur', { kind: 'fixed', amountOff: { EUR: 450 } } as Partial<Promotion>);
    const both = exclusive('both', {
      kind: 'fixed',
      amountOff: { USD: 500, EUR: 450 },
    } as Partial<Promotion>);
    expect(clashes(eur, [usd])).toEqual([]);
    expect(clashes(both, [usd, eur])).toEqual(['usd', 'eur']);
    expect(clashes(exclusive('percent'), [eur])).toEqual(['eur']);
  });

  it('clash on a shared brand or SKU, not on different ones', () => {
    const brands = (...b: string[]) =>
      exclusive(b.join('+'), { target: { type: 'brands', brands: b } });
    const skus = (...s: string[]) => exclusive(s.join('+'), { target: { type: 'skus', skus: s } });
    expect(clashes(brands('Voltix', 'Nimbus'), [brands('Nimbus'), brands('Aero')])).toEqual([
      'Nimbus',
    ]);
    expect(clashes(skus('A-1'), [skus('A-2', 'A-1'), skus('B-1')])).toEqual(['A-2+A-1']);
  });

  it('clash when one category contains the other, not between sibling categories', () => {
    const categories = (...ids: string[]) =>
      exclusive(ids.join('+'), { target: { type: 'categories', categoryIds: ids } });
    expect(clashes(categories('laptops'), [categories('electronics')])).toEqual(['electronics']);
    expect(clashes(categories('electronics'), [categories('laptops')])).toEqual(['laptops']);
    expect(clashes(categories('laptops'), [categories('phones'), categories('home')])).toEqual([]);
    expect(clashes(categories('home', 'phones'), [categories('computers', 'electronics')])).toEqual(
      ['computers+electronics'],
    );
  });

  it('are not compared across target types (the engine picks the better one there)', () => {
    const byBrand = exclusive('brand', { target: { type: 'brands', brands: ['Voltix'] } });
    const byCategory = exclusive('cat', {
      target: { type: 'categories', categoryIds: ['laptops'] },
    });
    expect(clashes(byBrand, [byCategory])).toEqual([]);
    expect(clashes(byBrand, [exclusive('all')])).toEqual(['all']);
  });
});
