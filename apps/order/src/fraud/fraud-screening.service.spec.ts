import { MemoryCache } from '@mercato/cache';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { CacheFraudSignals } from './cache-fraud-signals';
import { DynamoFraudDecisions } from './dynamo-fraud-decisions';
import { FraudScreening, type ScreeningRequest } from './fraud-screening.service';
import { FRAUD_TABLES } from './fraud.tables';

const AT = new Date('2026-06-01T12:00:00Z');
const minutesLater = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);

describe('FraudScreening', () => {
  let dynamo: TestDynamo;
  let cache: MemoryCache;
  let decisions: DynamoFraudDecisions;
  let screening: FraudScreening;
  let orders = 0;

  /** A year-old customer's usual order at home; each call is a new order. */
  const checkout = (changes: Partial<ScreeningRequest> = {}): ScreeningRequest => ({
    orderId: `o-${++orders}`,
    customer: { id: 'c-1', createdAt: new Date('2025-06-01T00:00:00Z'), orderCount: 12 },
    order: { amount: 9_500, currency: 'USD', region: 'us' },
    shippingCountry: 'US',
    ip: '203.0.113.7',
    at: AT,
    ...changes,
  });

  beforeAll(async () => {
    dynamo = await startTestDynamo(FRAUD_TABLES);
  });

  afterAll(async () => {
    await dynamo.close();
  });

  beforeEach(async () => {
    cache = new MemoryCache();
    await cache.init();
    decisions = new DynamoFraudDecisions(dynamo.doc, dynamo.tables);
    screening = new FraudScreening(new CacheFraudSignals(cache), decisions, {});
  });

  afterEach(async () => {
    await cache.close();
  });

  it('stores every decision with its score and reasons, readable by order id', async () => {
    const request = checkout({ billingCountry: 'NG', ipCountry: 'RO' });

    const decision = await screening.screen(request);

    expect(decision).toMatchObject({ decision: 'allow', score: 25 });
    expect(await decisions.find(request.orderId)).toEqual({
      orderId: request.orderId,
      customerId: 'c-1',
      decidedAt: AT.toISOString(),
      ip: '203.0.113.7',
      decision: 'allow',
      score: 25,
      reasons: [
        { rule: 'billing_shipping_mismatch', weight: 15, detail: 'billed in NG, shipped to US' },
        { rule: 'ip_shipping_mismatch', weight: 10, detail: 'ordered from RO, shipped to US' },
      ],
    });
  });

  it('counts the customer’s earlier attempts: the 4th order in an hour scores on velocity', async () => {
    for (const minute of [0, 10, 20]) {
      expect((await screening.screen(checkout({ at: minutesLater(minute) }))).score).toBe(0);
    }

    const fourth = await screening.screen(checkout({ at: minutesLater(30) }));

    expect(fourth.reasons.map((reason) => reason.rule)).toEqual(['customer_velocity']);
  });

  it('counts a device across customers, and only when the checkout names one', async () => {
    const customers = ['c-a', 'c-b', 'c-c'];
    for (const [i, id] of customers.entries()) {
      await screening.screen(
        checkout({
          customer: { id, createdAt: new Date('2025-01-01'), orderCount: 5 },
          deviceId: 'device-9',
          ip: `198.51.100.${i}`,
        }),
      );
    }
    const other = { id: 'c-d', createdAt: new Date('2025-01-01'), orderCount: 5 };

    const withDevice = await screening.screen(
      checkout({ customer: other, deviceId: 'device-9', ip: '198.51.100.9' }),
    );
    const withoutDevice = await screening.screen(
      checkout({ customer: { ...other, id: 'c-e' }, ip: '198.51.100.10' }),
    );

    expect(withDevice.reasons.map((reason) => reason.rule)).toEqual(['device_velocity']);
    expect(withoutDevice.reasons).toEqual([]);
  });

  it('keeps the first decision of an order when it is screened again', async () => {
    const first = checkout({ at: minutesLater(0) });
    await screening.screen(first);
    for (const minute of [1, 2, 3]) await screening.screen(checkout({ at: minutesLater(minute) }));

    const again = await screening.screen({ ...first, at: minutesLater(4) });

    expect(again).toMatchObject({ orderId: first.orderId, decision: 'allow', score: 0 });
  });

  it('finds no decision for an order never screened', async () => {
    expect(await decisions.find('o-unknown')).toBeUndefined();
  });
});
