import { fraudConfig } from './fraud.config';
import type { FraudInput } from './fraud.model';
import type { FraudRule } from './fraud.rules';
import { assessFraud, decisionFor } from './fraud-scoring';

const config = fraudConfig();
const AT = new Date('2026-06-01T12:00:00Z');

const calm = { lastHour: 0, lastDay: 0 };
const usual: FraudInput = {
  customer: {
    id: 'c-1',
    createdAt: new Date('2025-01-01T00:00:00Z'),
    orderCount: 12,
    averageOrderAmount: { amount: 8_000, currency: 'USD' },
  },
  order: { amount: 9_500, currency: 'USD', region: 'us' },
  shippingCountry: 'US',
  billingCountry: 'US',
  ipCountry: 'US',
  deviceId: 'device-1',
  ip: '203.0.113.7',
  recentOrders: { customer: calm, device: calm, ip: calm },
  at: AT,
};

/** A new account (one day old) ordering 800 USD: 40 points, on the review threshold. */
const newAccountBigOrder: FraudInput = {
  ...usual,
  customer: { id: 'c-new', createdAt: new Date('2026-05-31T12:00:00Z'), orderCount: 0 },
  order: { amount: 80_000, currency: 'USD', region: 'us' },
};

describe('decisions from the score', () => {
  it('allows under 40, reviews from 40, denies from 80', () => {
    expect([0, 39, 40, 79, 80, 200].map((score) => decisionFor(score, config))).toEqual([
      'allow',
      'allow',
      'review',
      'review',
      'deny',
      'deny',
    ]);
  });
});

describe('assessFraud', () => {
  it('allows a usual checkout with score 0 and no reasons', () => {
    expect(assessFraud(usual, config)).toEqual({ decision: 'allow', score: 0, reasons: [] });
  });

  it('sends a new account with a large order to review', () => {
    expect(assessFraud(newAccountBigOrder, config)).toMatchObject({
      decision: 'review',
      score: 40,
      reasons: [{ rule: 'new_account_large_order', weight: 40 }],
    });
  });

  it('adds the weights of every rule that fires and lists each reason, in rule order', () => {
    const input: FraudInput = {
      ...newAccountBigOrder,
      billingCountry: 'NG',
      ipCountry: 'RO',
      recentOrders: { customer: calm, device: { lastHour: 3, lastDay: 3 }, ip: calm },
    };

    const assessment = assessFraud(input, config);

    expect(assessment.reasons.map((reason) => reason.rule)).toEqual([
      'device_velocity',
      'billing_shipping_mismatch',
      'ip_shipping_mismatch',
      'new_account_large_order',
    ]);
    expect(assessment.score).toBe(35 + 15 + 10 + 40);
    expect(assessment.decision).toBe('deny');
  });

  it('takes thresholds and weights from the configuration', () => {
    const strict = fraudConfig({ FRAUD_REVIEW_SCORE: '10', FRAUD_DENY_SCORE: '40' });
    const lenient = fraudConfig({ FRAUD_WEIGHT_NEW_ACCOUNT_LARGE_ORDER: '5' });

    expect(assessFraud(newAccountBigOrder, strict).decision).toBe('deny');
    expect(assessFraud(newAccountBigOrder, lenient)).toMatchObject({ decision: 'allow', score: 5 });
  });

  it('leaves out a rule weighted 0: it is switched off', () => {
    const off = fraudConfig({ FRAUD_WEIGHT_NEW_ACCOUNT_LARGE_ORDER: '0' });

    expect(assessFraud(newAccountBigOrder, off)).toEqual({
      decision: 'allow',
      score: 0,
      reasons: [],
    });
  });

  it('runs the rules it is given', () => {
    const always: FraudRule = () => ({ rule: 'ip_velocity', weight: 90, detail: 'test rule' });

    expect(assessFraud(usual, config, [always]).decision).toBe('deny');
  });
});

describe('fraud configuration', () => {
  it('refuses a deny score not above the review score, naming it', () => {
    expect(() => fraudConfig({ FRAUD_REVIEW_SCORE: '50', FRAUD_DENY_SCORE: '50' })).toThrow(
      /FRAUD_DENY_SCORE must be above FRAUD_REVIEW_SCORE/,
    );
  });

  it('refuses a negative weight', () => {
    expect(() => fraudConfig({ FRAUD_WEIGHT_IP_VELOCITY: '-1' })).toThrow(
      /FRAUD_WEIGHT_IP_VELOCITY/,
    );
  });
});
