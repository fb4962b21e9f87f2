import type { Currency } from '@mercato/contracts';
import type { OrderSummary } from '../orders/orders.repository';

/** What fraud screening knows of a customer's past orders. */
export interface CustomerHistory {
  orderCount: number;
  /** The average total of their orders in `currency`; absent without one in it. */
  averageOrderAmount?: { amount: number; currency: Currency };
}

/** How many of a customer's latest placed orders checkout reads for fraud screening. */
export const HISTORY_ORDERS = 50;

/**
 * The history of `orders` (the customer's placed orders, newest first, at most HISTORY_ORDERS)
 * for a checkout in `currency`: the count, and the average of the totals in that currency
 * (orders in another region's currency are counted, not averaged: amounts do not convert).
 */
export function customerHistoryOf(
  orders: readonly Pick<OrderSummary, 'totals'>[],
  currency: Currency,
): CustomerHistory {
  const same = orders.filter((order) => order.totals.total.currency === currency);
  if (same.length === 0) return { orderCount: orders.length };
  const sum = same.reduce((total, order) => total + order.totals.total.amount, 0);
  return {
    orderCount: orders.length,
    averageOrderAmount: { amount: Math.round(sum / same.length), currency },
  };
}
