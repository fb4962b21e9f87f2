import type { EventData, OrderChanged } from '@mercato/contracts';
import { salesSignalsSettings } from './sales-signals.config';
import {
  addDays,
  firstDayRead,
  keepUntil,
  popularity,
  salesOfOrderEvent,
  salesVelocity,
  signalsOfSales,
  utcDay,
} from './sales-signals.rules';

const TODAY = '2026-12-07';
const daysAgo = (n: number) => addDays(TODAY, -n);

const order = (
  type: string,
  lines: { productId: string; quantity: number }[] | undefined,
): EventData<typeof OrderChanged> => ({
  orderId: 'o-1',
  version: type === 'placed' ? 1 : 2,
  type,
  occurredAt: '2026-12-06T23:59:30.000Z',
  customerId: 'c-1',
  region: 'us',
  status: type === 'placed' ? 'pending' : type === 'cancelled' ? 'cancelled' : 'confirmed',
  ...(lines && {
    lines: lines.map((line, i) => ({
      sku: `SKU-${i}`,
      ...line,
      lineTotal: { amount: 1_000 * line.quantity, currency: 'USD' as const },
    })),
  }),
});

describe('sales signals rules', () => {
  describe('days', () => {
    it('are UTC calendar days, whatever the time of day', () => {
      expect(utcDay('2026-12-06T23:59:59.999Z')).toBe('2026-12-06');
      expect(utcDay(Date.parse('2026-12-07T00:00:00.000Z'))).toBe('2026-12-07');
      expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
      expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    });

    it('are read from the start of the longer window, today included', () => {
      const settings = salesSignalsSettings();
      expect(firstDayRead(TODAY, settings)).toBe(daysAgo(89));
      expect(firstDayRead(TODAY, { ...settings, popularityDays: 7, velocityDays: 14 })).toBe(
        daysAgo(13),
      );
    });

    it('are kept (TTL) until a day after the longer window has passed them', () => {
      expect(keepUntil(TODAY, salesSignalsSettings())).toBe(
        Date.parse(`${addDays(TODAY, 91)}T00:00:00.000Z`) / 1_000,
      );
    });
  });

  describe('popularity', () => {
    it('sums the units of the last 90 days, today included, and nothing older', () => {
      const sales = [
        { day: TODAY, units: 1 },
        { day: daysAgo(30), units: 10 },
        { day: daysAgo(89), units: 100 },
        { day: daysAgo(90), units: 1_000 },
      ];
      expect(popularity(sales, TODAY, 90)).toBe(111);
    });

    it('counts a day after today (a clock ahead at midnight) as today', () => {
      expect(popularity([{ day: addDays(TODAY, 1), units: 4 }], TODAY, 90)).toBe(4);
    });
  });

  describe('sales velocity', () => {
    it('is the daily units of a product selling the same every day, whatever the half-life', () => {
      const sales = Array.from({ length: 14 }, (_, age) => ({ day: daysAgo(age), units: 5 }));
      expect(salesVelocity(sales, TODAY, 14, 7)).toBe(5);
      expect(salesVelocity(sales, TODAY, 14, 2)).toBe(5);
    });

    it('weighs a sale 7 days old half as much as one today', () => {
      const today = salesVelocity([{ day: TODAY, units: 10 }], TODAY, 14, 7);
      const weekAgo = salesVelocity([{ day: daysAgo(7), units: 10 }], TODAY, 14, 7);
      expect(weekAgo / today).toBeCloseTo(0.5, 2);
      expect(salesVelocity([{ day: daysAgo(1), units: 10 }], TODAY, 14, 7)).toBeLessThan(today);
      expect(salesVelocity([{ day: daysAgo(1), units: 10 }], TODAY, 14, 7)).toBeGreaterThan(
        weekAgo,
      );
    });

    it('spreads over the 14 days: 14 units sold today make under 2 a day, not 14', () => {
      // Weights 2^(-a/7) for a = 0..13 sum to 0.75 / (1 - 2^(-1/7)) = 7.95; 14 / 7.95 = 1.76.
      expect(salesVelocity([{ day: TODAY, units: 14 }], TODAY, 14, 7)).toBe(1.76);
    });

    it('ignores sales older than the window', () => {
      expect(salesVelocity([{ day: daysAgo(14), units: 50 }], TODAY, 14, 7)).toBe(0);
    });

    it('falls as days pass without sales', () => {
      const sales = [{ day: TODAY, units: 10 }];
      const values = [0, 1, 7, 13, 14].map((later) =>
        salesVelocity(sales, addDays(TODAY, later), 14, 7),
      );
      expect(values).toEqual([...values].sort((a, b) => b - a));
      expect(new Set(values).size).toBe(values.length);
      expect(values.at(-1)).toBe(0);
    });

    it('keeps 3 decimals', () => {
      const value = salesVelocity([{ day: daysAgo(3), units: 1 }], TODAY, 14, 7);
      expect(value).toBe(Math.round(value * 1_000) / 1_000);
      expect(value).toBeGreaterThan(0);
    });
  });

  it('signals of no sales are zero', () => {
    expect(signalsOfSales([], TODAY, salesSignalsSettings())).toEqual({
      popularity: 0,
      salesVelocity: 0,
    });
  });

  describe('sales of an order event', () => {
    it('are the units per product of a confirmed order on the day it was confirmed', () => {
      const sales = salesOfOrderEvent(
        order('confirmed', [
          { productId: 'p-1', quantity: 2 },
          { productId: 'p-2', quantity: 1 },
          { productId: 'p-1', quantity: 3 },
        ]),
      );
      expect(sales).toEqual({
        orderId: 'o-1',
        day: '2026-12-06',
        units: new Map([
          ['p-1', 5],
          ['p-2', 1],
        ]),
      });
    });

    it('are those of an order the fraud review held and then approved', () => {
      expect(salesOfOrderEvent(order('approved', [{ productId: 'p-1', quantity: 2 }]))).toEqual({
        orderId: 'o-1',
        day: '2026-12-06',
        units: new Map([['p-1', 2]]),
      });
    });

    it('are none for a placed order, which may still fail', () => {
      expect(salesOfOrderEvent(order('placed', [{ productId: 'p-1', quantity: 2 }]))).toBe(
        undefined,
      );
    });

    it('are none for any other event', () => {
      expect(salesOfOrderEvent(order('cancelled', undefined))).toBe(undefined);
      expect(salesOfOrderEvent(order('confirmed', []))).toBe(undefined);
    });
  });
});
