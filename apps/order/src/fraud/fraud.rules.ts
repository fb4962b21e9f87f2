import type { Currency } from '@mercato/contracts';
import type { FraudConfig } from './fraud.config';
import type { FraudInput, FraudReason, VelocityCounts } from './fraud.model';

/** One rule: the reason it adds to the score, or undefined when it does not fire. */
export type FraudRule = (input: FraudInput, config: FraudConfig) => FraudReason | undefined;

const DAY_MS = 86_400_000;

/** The window a subject went over its limit in, in words; undefined when within both limits. */
function overLimit(
  subject: string,
  counts: VelocityCounts,
  perHour: number,
  perDay: number,
): string | undefined {
  if (counts.lastHour >= perHour)
    return `${counts.lastHour} orders from this ${subject} in the last hour (limit ${perHour})`;
  if (counts.lastDay >= perDay)
    return `${counts.lastDay} orders from this ${subject} in the last day (limit ${perDay})`;
  return undefined;
}

export const customerVelocity: FraudRule = (input, config) => {
  const detail = overLimit(
    'customer',
    input.recentOrders.customer,
    config.FRAUD_CUSTOMER_ORDERS_PER_HOUR,
    config.FRAUD_CUSTOMER_ORDERS_PER_DAY,
  );
  return detail
    ? { rule: 'customer_velocity', weight: config.FRAUD_WEIGHT_CUSTOMER_VELOCITY, detail }
    : undefined;
};

export const deviceVelocity: FraudRule = (input, config) => {
  const counts = input.recentOrders.device;
  if (input.deviceId === undefined || !counts) return undefined;
  const detail = overLimit(
    'device',
    counts,
    config.FRAUD_DEVICE_ORDERS_PER_HOUR,
    config.FRAUD_DEVICE_ORDERS_PER_DAY,
  );
  return detail
    ? { rule: 'device_velocity', weight: config.FRAUD_WEIGHT_DEVICE_VELOCITY, detail }
    : undefined;
};

export const ipVelocity: FraudRule = (input, config) => {
  const detail = overLimit(
    'IP',
    input.recentOrders.ip,
    config.FRAUD_IP_ORDERS_PER_HOUR,
    config.FRAUD_IP_ORDERS_PER_DAY,
  );
  return detail
    ? { rule: 'ip_velocity', weight: config.FRAUD_WEIGHT_IP_VELOCITY, detail }
    : undefined;
};

/**
 * An order far above what the customer usually spends. Only with enough history, and only when
 * the history is in the order's currency: there are no exchange rates to compare across.
 */
export const amountOverHistory: FraudRule = (input, config) => {
  const average = input.customer.averageOrderAmount;
  if (!average || average.currency !== input.order.currency || average.amount <= 0)
    return undefined;
  if (input.customer.orderCount < config.FRAUD_AMOUNT_HISTORY_MIN_ORDERS) return undefined;
  const ratio = input.order.amount / average.amount;
  if (ratio <= config.FRAUD_AMOUNT_HISTORY_FACTOR) return undefined;
  return {
    rule: 'amount_over_history',
    weight: config.FRAUD_WEIGHT_AMOUNT_OVER_HISTORY,
    detail: `order of ${input.order.amount} ${input.order.currency} is ${ratio.toFixed(1)}× the customer's average of ${average.amount} (limit ${config.FRAUD_AMOUNT_HISTORY_FACTOR}×)`,
  };
};

const sameCountry = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();

export const billingShippingMismatch: FraudRule = (input, config) => {
  const { billingCountry, shippingCountry } = input;
  if (billingCountry === undefined || sameCountry(billingCountry, shippingCountry))
    return undefined;
  return {
    rule: 'billing_shipping_mismatch',
    weight: config.FRAUD_WEIGHT_BILLING_SHIPPING_MISMATCH,
    detail: `billed in ${billingCountry.toUpperCase()}, shipped to ${shippingCountry.toUpperCase()}`,
  };
};

export const ipShippingMismatch: FraudRule = (input, config) => {
  const { ipCountry, shippingCountry } = input;
  if (ipCountry === undefined || sameCountry(ipCountry, shippingCountry)) return undefined;
  return {
    rule: 'ip_shipping_mismatch',
    weight: config.FRAUD_WEIGHT_IP_SHIPPING_MISMATCH,
    detail: `ordered from ${ipCountry.toUpperCase()}, shipped to ${shippingCountry.toUpperCase()}`,
  };
};

/** The large-order threshold of each currency, in its minor units. */
function largeOrderThreshold(currency: Currency, config: FraudConfig): number {
  const thresholds: Record<Currency, number> = {
    USD: config.FRAUD_LARGE_ORDER_USD,
    EUR: config.FRAUD_LARGE_ORDER_EUR,
    JPY: config.FRAUD_LARGE_ORDER_JPY,
  };
  return thresholds[currency];
}

export const newAccountLargeOrder: FraudRule = (input, config) => {
  const ageDays = (input.at.getTime() - input.customer.createdAt.getTime()) / DAY_MS;
  if (ageDays >= config.FRAUD_NEW_ACCOUNT_DAYS) return undefined;
  const threshold = largeOrderThreshold(input.order.currency, config);
  if (input.order.amount < threshold) return undefined;
  return {
    rule: 'new_account_large_order',
    weight: config.FRAUD_WEIGHT_NEW_ACCOUNT_LARGE_ORDER,
    detail: `account ${ageDays.toFixed(1)} days old (new under ${config.FRAUD_NEW_ACCOUNT_DAYS}) orders ${input.order.amount} ${input.order.currency} (large from ${threshold})`,
  };
};

/** Every rule, in the order their reasons are listed. */
export const FRAUD_RULES: readonly FraudRule[] = [
  customerVelocity,
  deviceVelocity,
  ipVelocity,
  amountOverHistory,
  billingShippingMismatch,
  ipShippingMismatch,
  newAccountLargeOrder,
];
