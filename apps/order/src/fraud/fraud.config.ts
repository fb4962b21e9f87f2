import { z } from 'zod';

const weight = (fallback: number) => z.coerce.number().int().min(0).max(1_000).default(fallback);
const limit = (fallback: number) => z.coerce.number().int().min(1).max(100_000).default(fallback);
const minorUnits = (fallback: number) =>
  z.coerce.number().int().min(1).max(1_000_000_000).default(fallback);

/**
 * Fraud scoring settings; merged into the order app's config. A rule that fires adds its weight
 * to the score; `review` from FRAUD_REVIEW_SCORE on, `deny` from FRAUD_DENY_SCORE on. The
 * defaults make one strong signal (new account with a large order, or a burst from one device)
 * a review, and two strong signals, or three weaker ones, a denial.
 */
export const fraudConfigShape = {
  FRAUD_REVIEW_SCORE: weight(40),
  FRAUD_DENY_SCORE: weight(80),

  FRAUD_WEIGHT_CUSTOMER_VELOCITY: weight(35),
  FRAUD_WEIGHT_DEVICE_VELOCITY: weight(35),
  /** Lower than device: many customers share an IP (offices, mobile carriers' NAT). */
  FRAUD_WEIGHT_IP_VELOCITY: weight(20),
  FRAUD_WEIGHT_AMOUNT_OVER_HISTORY: weight(25),
  FRAUD_WEIGHT_BILLING_SHIPPING_MISMATCH: weight(15),
  /** Lower than billing: travellers and VPNs put honest buyers abroad. */
  FRAUD_WEIGHT_IP_SHIPPING_MISMATCH: weight(10),
  FRAUD_WEIGHT_NEW_ACCOUNT_LARGE_ORDER: weight(40),

  /** Orders a customer may place in an hour / a day before the next one counts against it. */
  FRAUD_CUSTOMER_ORDERS_PER_HOUR: limit(3),
  FRAUD_CUSTOMER_ORDERS_PER_DAY: limit(10),
  FRAUD_DEVICE_ORDERS_PER_HOUR: limit(3),
  FRAUD_DEVICE_ORDERS_PER_DAY: limit(10),
  FRAUD_IP_ORDERS_PER_HOUR: limit(10),
  FRAUD_IP_ORDERS_PER_DAY: limit(50),

  /** An order above this many times the customer's average order counts against it… */
  FRAUD_AMOUNT_HISTORY_FACTOR: z.coerce.number().min(1).max(1_000).default(5),
  /** …once the customer has at least this many orders (fewer say little about "usual"). */
  FRAUD_AMOUNT_HISTORY_MIN_ORDERS: limit(3),

  /** An account younger than this is new. */
  FRAUD_NEW_ACCOUNT_DAYS: z.coerce.number().min(0).max(365).default(7),
  /** A large order, in minor units of each currency (about 500 US dollars each). */
  FRAUD_LARGE_ORDER_USD: minorUnits(50_000),
  FRAUD_LARGE_ORDER_EUR: minorUnits(50_000),
  FRAUD_LARGE_ORDER_JPY: minorUnits(75_000),
};

const fraudConfigSchema = z
  .object(fraudConfigShape)
  .refine((config) => config.FRAUD_DENY_SCORE > config.FRAUD_REVIEW_SCORE, {
    message: 'FRAUD_DENY_SCORE must be above FRAUD_REVIEW_SCORE',
    path: ['FRAUD_DENY_SCORE'],
  });

export type FraudConfig = z.infer<typeof fraudConfigSchema>;

/** The fraud settings out of the process config (defaults for those it lacks); throws when invalid. */
export function fraudConfig(config: object = {}): FraudConfig {
  return fraudConfigSchema.parse(config);
}
