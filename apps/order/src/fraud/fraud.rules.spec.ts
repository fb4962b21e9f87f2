import { fraudConfig } from './fraud.config';
import type { FraudInput } from './fraud.model';
import {
  amountOverHistory,
  billingShippingMismatch,
  customerVelocity,
  deviceVelocity,
  FRAUD_RULES,
  ipShippingMismatch,
  ipVelocity,
  newAccountLargeOrder,
} from './fraud.rules';

const config = fraudConfig();
const AT = new Date('2026-06-01T12:00:00Z');
const daysBefore = (days: number) => new Date(AT.getTime() - days * 86_400_000);

/** A checkout no rule has anything against: a year-old customer, a usual order, at home. */
function checkout(changes: Partial<FraudInput> = {}): FraudInput {
  return {
    customer: {
      id: 'c-1',
      createdAt: daysBefore(365),
      orderCount: 12,
      averageOrderAmount: { amount: 8_000, currency: 'USD' },
    },
    order: { amount: 9_500, currency: 'USD', region: 'us' },
    shippingCountry: 'US',
    billingCountry: 'US',
    ipCountry: 'US',
    deviceId: 'device-1',
    ip: '203.0.113.7',
    recentOrders: {
      customer: { lastHour: 0, lastDay: 1 },
      device: { lastHour: 0, lastDay: 1 },
      ip: { lastHour: 0, lastDay: 1 },
    },
    at: AT,
    ...changes,
  };
}

const recent = (changes: Partial<FraudInput['recentOrders']>) =>
  checkout({ recentOrders: { ...checkout().recentOrders, ...changes } });

it('a usual checkout fires no rule', () => {
  expect(FRAUD_RULES.map((rule) => rule(checkout(), config))).toEqual(
    FRAUD_RULES.map(() => undefined),
  );
});

describe('customer velocity', () => {
  it('fires when the customer already placed the hourly limit (3) in the last hour', () => {
    expect(customerVelocity(recent({ customer: { lastHour: 3, lastDay: 3 } }), config)).toEqual({
      rule: 'customer_velocity',
      weight: 35,
      detail: '3 orders from this customer in the last hour (limit 3)',
    });
  });

  it('fires when the customer reached the daily limit (10), however quiet the last hour', () => {
    expect(
      customerVelocity(recent({ customer: { lastHour: 0, lastDay: 10 } }), config)?.detail,
    ).toBe('10 orders from this customer in the last day (limit 10)');
  });

  it('does not fire just under both limits', () => {
    expect(customerVelocity(recent({ customer: { lastHour: 2, lastDay: 9 } }), config)).toBe(
      undefined,
    );
  });
});

describe('device velocity', () => {
  it('fires at the device limits (3 an hour), weighing 35', () => {
    expect(deviceVelocity(recent({ device: { lastHour: 3, lastDay: 3 } }), config)).toMatchObject({
      rule: 'device_velocity',
      weight: 35,
    });
    expect(deviceVelocity(recent({ device: { lastHour: 0, lastDay: 10 } }), config)).toBeDefined();
  });

  it('does not fire without an X-Device-Id (nothing to count by)', () => {
    const busy = recent({ device: { lastHour: 9, lastDay: 9 } });

    expect(deviceVelocity({ ...busy, deviceId: undefined }, config)).toBe(undefined);
  });

  it('does not fire under the limits', () => {
    expect(deviceVelocity(recent({ device: { lastHour: 2, lastDay: 9 } }), config)).toBe(undefined);
  });
});

describe('IP velocity', () => {
  it('allows more orders per IP than per customer (shared addresses), then fires at 10 an hour', () => {
    expect(ipVelocity(recent({ ip: { lastHour: 9, lastDay: 9 } }), config)).toBe(undefined);
    expect(ipVelocity(recent({ ip: { lastHour: 10, lastDay: 10 } }), config)).toEqual({
      rule: 'ip_velocity',
      weight: 20,
      detail: '10 orders from this IP in the last hour (limit 10)',
    });
  });

  it('fires at 50 a day', () => {
    expect(ipVelocity(recent({ ip: { lastHour: 0, lastDay: 50 } }), config)).toBeDefined();
    expect(ipVelocity(recent({ ip: { lastHour: 0, lastDay: 49 } }), config)).toBe(undefined);
  });
});

describe('amount against the customer’s history', () => {
  const withAverage = (amount: number, orderCount = 12, currency: 'USD' | 'EUR' = 'USD') =>
    checkout({
      customer: { ...checkout().customer, orderCount, averageOrderAmount: { amount, currency } },
      order: { amount: 60_000, currency: 'USD', region: 'us' },
    });

  it('fires for an order above 5× the average', () => {
    expect(amountOverHistory(withAverage(10_000), config)).toEqual({
      rule: 'amount_over_history',
      weight: 25,
      detail: "order of 60000 USD is 6.0× the customer's average of 10000 (limit 5×)",
    });
  });

  it('does not fire at exactly 5× the average', () => {
    expect(amountOverHistory(withAverage(12_000), config)).toBe(undefined);
  });

  it('says nothing with fewer than 3 orders of history', () => {
    expect(amountOverHistory(withAverage(1_000, 2), config)).toBe(undefined);
    expect(amountOverHistory(withAverage(1_000, 3), config)).toBeDefined();
  });

  it('says nothing when the history is in another currency (no exchange rates)', () => {
    expect(amountOverHistory(withAverage(1_000, 12, 'EUR'), config)).toBe(undefined);
  });
});

describe('region mismatches', () => {
  it('fires when billing and shipping countries differ, ignoring case', () => {
    expect(
      billingShippingMismatch(checkout({ billingCountry: 'ng', shippingCountry: 'US' }), config),
    ).toEqual({
      rule: 'billing_shipping_mismatch',
      weight: 15,
      detail: 'billed in NG, shipped to US',
    });
    expect(
      billingShippingMismatch(checkout({ billingCountry: 'us', shippingCountry: 'US' }), config),
    ).toBe(undefined);
  });

  it('does not fire without a billing country', () => {
    expect(billingShippingMismatch(checkout({ billingCountry: undefined }), config)).toBe(
      undefined,
    );
  });

  it('fires, weighing less (10), when the IP is in another country than the shipping address', () => {
    expect(ipShippingMismatch(checkout({ ipCountry: 'RO' }), config)).toEqual({
      rule: 'ip_shipping_mismatch',
      weight: 10,
      detail: 'ordered from RO, shipped to US',
    });
    expect(ipShippingMismatch(checkout({ ipCountry: undefined }), config)).toBe(undefined);
  });
});

describe('new account with a large order', () => {
  const fresh = (ageDays: number, amount: number, currency: 'USD' | 'JPY' = 'USD') =>
    checkout({
      customer: { id: 'c-new', createdAt: daysBefore(ageDays), orderCount: 0 },
      order: { amount, currency, region: currency === 'JPY' ? 'ap' : 'us' },
    });

  it('fires for an account under 7 days old ordering 500 USD or more', () => {
    expect(newAccountLargeOrder(fresh(2, 50_000), config)).toEqual({
      rule: 'new_account_large_order',
      weight: 40,
      detail: 'account 2.0 days old (new under 7) orders 50000 USD (large from 50000)',
    });
  });

  it('does not fire for a small order of a new account, nor a large one of an older account', () => {
    expect(newAccountLargeOrder(fresh(2, 49_999), config)).toBe(undefined);
    expect(newAccountLargeOrder(fresh(7, 500_000), config)).toBe(undefined);
  });

  it('measures "large" in the order’s currency (75,000 JPY, which has no minor units)', () => {
    expect(newAccountLargeOrder(fresh(1, 74_999, 'JPY'), config)).toBe(undefined);
    expect(newAccountLargeOrder(fresh(1, 75_000, 'JPY'), config)).toBeDefined();
  });
});
