import type { Money } from '@mercato/contracts';
import type { OrderLine, OrderTotals } from '../orders/order.events';

/**
 * How an order's total is shared out, in whole minor units, so that captures per shipment and
 * refunds per returned unit add up to exactly what the customer paid (docs/order-lifecycle.md,
 * "Money"). Every split gives the rounding remainder to the last share, as the issue asks.
 */

/** Splits `amount` in proportion to `weights`; floors each share, the remainder on the last. */
export function splitProportionally(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (weights.length === 0) return [];
  if (total === 0) return weights.map((_, i) => (i === weights.length - 1 ? amount : 0));
  const shares = weights.map((weight) => Math.floor((amount * weight) / total));
  const given = shares.reduce((sum, share) => sum + share, 0);
  shares[shares.length - 1] += amount - given;
  return shares;
}

/**
 * Shares `amount` (at most the weights' sum) as `splitProportionally` does, but no share above
 * its own weight: the remainder goes to the last share while it has room, then to the ones
 * before it, last first. Without the cap a free or small last line could take more discount
 * than it costs and come out negative (found by the lifecycle's property test).
 */
export function splitWithinWeights(amount: number, weights: readonly number[]): number[] {
  const shares = splitProportionally(amount, weights);
  let excess = 0;
  for (let i = shares.length - 1; i >= 0; i -= 1) {
    if (shares[i] > weights[i]) {
      excess += shares[i] - weights[i];
      shares[i] = weights[i];
    }
  }
  for (let i = shares.length - 1; i >= 0 && excess > 0; i -= 1) {
    const room = weights[i] - shares[i];
    const given = Math.min(room, excess);
    shares[i] += given;
    excess -= given;
  }
  return shares;
}

/**
 * What each line costs the customer after every discount: its `lineTotal` (promotions already
 * off) minus its share of what the order takes off beyond its lines (an order-level coupon),
 * shared in proportion to the line totals and never more than a line costs. Shipping and tax
 * are not part of any line.
 */
export function lineNets(lines: readonly OrderLine[], totals: OrderTotals): number[] {
  const lineSum = lines.reduce((sum, line) => sum + line.lineTotal.amount, 0);
  const charged = totals.total.amount - totals.shipping.amount - totals.tax.amount;
  const orderLevel = Math.min(lineSum, Math.max(0, lineSum - charged));
  const off = splitWithinWeights(
    orderLevel,
    lines.map((line) => line.lineTotal.amount),
  );
  return lines.map((line, i) => line.lineTotal.amount - off[i]);
}

/**
 * What the first `units` of a line's `quantity` cost, the line costing `net` in all: each unit
 * the floor of an equal share, the last unit the remainder too. Refunding units `r…r+m` gives
 * back `unitsCost(r + m) − unitsCost(r)`, so refunds of a whole line add up to its net exactly.
 */
export function unitsCost(net: number, quantity: number, units: number): number {
  const each = Math.floor(net / quantity);
  return each * units + (units >= quantity ? net - each * quantity : 0);
}

/** The money of `amount` minor units in `currency`. */
export const moneyOf = (amount: number, currency: Money['currency']): Money => ({
  amount,
  currency,
});
