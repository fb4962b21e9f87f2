import type { EventData, OrderChanged } from '@mercato/contracts';
import type { SalesSignalsSettings } from './sales-signals.config';

/** A product's ranking signals from its sales (docs/search.md, "Sales signals"). */
export interface SalesSignalValues {
  /** Units sold over the popularity window (90 days by default), today included. */
  readonly popularity: number;
  /** Units per day over the velocity window (14 days), recent days weighing more. */
  readonly salesVelocity: number;
}

/** Units of one product sold on one UTC day (`YYYY-MM-DD`). */
export interface DaySales {
  readonly day: string;
  readonly units: number;
}

/** What one order event adds to the sales: units per product on the order's UTC day. */
export interface OrderSales {
  readonly orderId: string;
  readonly day: string;
  readonly units: ReadonlyMap<string, number>;
}

export const NO_SALES: SalesSignalValues = { popularity: 0, salesVelocity: 0 };

const DAY_MS = 86_400_000;
/** The order events that confirm an order (docs/search.md, "Sales signals"). */
const SALE_EVENTS: ReadonlySet<string> = new Set(['confirmed', 'approved']);
/** Velocity keeps 3 decimals: enough to order products, short in an `explain` output. */
const VELOCITY_DECIMALS = 1_000;

/** The UTC day (`YYYY-MM-DD`) of an instant. */
export function utcDay(at: number | string): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The day `n` days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  return utcDay(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS);
}

/** Whole days from `day` to `today`. */
function ageInDays(day: string, today: string): number {
  const age = Math.round(
    (Date.parse(`${today}T00:00:00.000Z`) - Date.parse(`${day}T00:00:00.000Z`)) / DAY_MS,
  );
  // A day after today comes from a producer whose clock runs ahead around midnight: it is today.
  return Math.max(age, 0);
}

/** The first day a window of `days` days ending today (included) covers. */
export function windowStart(today: string, days: number): string {
  return addDays(today, -(days - 1));
}

/** The first day any signal reads: the start of the longer window. */
export function firstDayRead(today: string, settings: SalesSignalsSettings): string {
  return windowStart(today, Math.max(settings.popularityDays, settings.velocityDays));
}

/**
 * When a day's sales item may go (epoch seconds, for the table's TTL): once the longer window
 * has moved past it, plus a day so a clock a little behind still finds it.
 */
export function keepUntil(day: string, settings: SalesSignalsSettings): number {
  const lastDayRead = addDays(day, Math.max(settings.popularityDays, settings.velocityDays) + 1);
  return Date.parse(`${lastDayRead}T00:00:00.000Z`) / 1_000;
}

/** Units sold over the last `days` days, today included. */
export function popularity(sales: readonly DaySales[], today: string, days: number): number {
  return sales
    .filter((sale) => ageInDays(sale.day, today) < days)
    .reduce((sum, sale) => sum + sale.units, 0);
}

/**
 * Units per day over the last `days` days, a day `a` days old weighing `2^(-a / halfLife)`: the
 * weighted mean of the daily units, days without sales counting as 0. A product selling the same
 * every day has that number as its velocity, whatever the half-life; sales move the velocity more
 * the more recent they are. Today counts as a whole day although it is not over, so just after
 * midnight velocity dips a little for every product alike.
 */
export function salesVelocity(
  sales: readonly DaySales[],
  today: string,
  days: number,
  halfLifeDays: number,
): number {
  const weight = (age: number) => Math.pow(2, -age / halfLifeDays);
  let weightedUnits = 0;
  for (const sale of sales) {
    const age = ageInDays(sale.day, today);
    if (age < days) weightedUnits += sale.units * weight(age);
  }
  let weights = 0;
  for (let age = 0; age < days; age++) weights += weight(age);
  return Math.round((weightedUnits / weights) * VELOCITY_DECIMALS) / VELOCITY_DECIMALS;
}

/** Both signals of a product's daily sales as seen on `today`. */
export function signalsOfSales(
  sales: readonly DaySales[],
  today: string,
  settings: SalesSignalsSettings,
): SalesSignalValues {
  return {
    popularity: popularity(sales, today, settings.popularityDays),
    salesVelocity: salesVelocity(
      sales,
      today,
      settings.velocityDays,
      settings.velocityHalfLifeDays,
    ),
  };
}

/**
 * The sales an order event makes, or undefined when it makes none. Only the event that makes
 * an order `confirmed` counts: `confirmed`, or `approved` for an order the fraud review held
 * (each order has one of the two, once). A `placed` order may still fail (payment declined,
 * stock gone, fraud denied) and is followed by one of them once it stands, so counting `placed`
 * would rank products on orders that never happened, and counting both would count every sale
 * twice. The day is the event's own
 * (`occurredAt`), not the time it is handled, so a redelivery after midnight lands on the same
 * day's item and is recognised there. Lines of one product (several of its SKUs) add up: the
 * order is counted once per product, so it must bring all of that product's units at once.
 * (Issue 20: a `cancelled` or `refunded` event of a confirmed order will subtract its units
 * from the same items; see `SalesRepository.recordOrder`.)
 */
export function salesOfOrderEvent(event: EventData<typeof OrderChanged>): OrderSales | undefined {
  if (!SALE_EVENTS.has(event.type) || !event.lines?.length) return undefined;
  const units = new Map<string, number>();
  for (const line of event.lines) {
    units.set(line.productId, (units.get(line.productId) ?? 0) + line.quantity);
  }
  return { orderId: event.orderId, day: utcDay(event.occurredAt), units };
}
