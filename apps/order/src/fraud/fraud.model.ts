import type { Currency, Region } from '@mercato/contracts';

/** Prior order attempts of one customer, device or IP in the last hour and the last day. */
export interface VelocityCounts {
  readonly lastHour: number;
  readonly lastDay: number;
}

/** What the fraud rules look at: one checkout, its customer and the recent attempts around it. */
export interface FraudInput {
  readonly customer: {
    readonly id: string;
    readonly createdAt: Date;
    /** Orders the customer placed before this one. */
    readonly orderCount: number;
    /** Their average order, absent without history. */
    readonly averageOrderAmount?: { readonly amount: number; readonly currency: Currency };
  };
  /** The order's total in minor units of its currency. */
  readonly order: { readonly amount: number; readonly currency: Currency; readonly region: Region };
  /** ISO 3166-1 alpha-2 country codes (case does not matter). */
  readonly shippingCountry: string;
  readonly billingCountry?: string;
  readonly ipCountry?: string;
  /** The `X-Device-Id` header, when the client sent one. */
  readonly deviceId?: string;
  readonly ip: string;
  /** Attempts before this one (not counting it), per subject. */
  readonly recentOrders: {
    readonly customer: VelocityCounts;
    readonly device?: VelocityCounts;
    readonly ip: VelocityCounts;
  };
  /** When the checkout happens (account age is measured to it). */
  readonly at: Date;
}

export type FraudRuleName =
  | 'customer_velocity'
  | 'device_velocity'
  | 'ip_velocity'
  | 'amount_over_history'
  | 'billing_shipping_mismatch'
  | 'ip_shipping_mismatch'
  | 'new_account_large_order';

/** Why a score went up: the rule, what it added, and the facts in words (for the admin view). */
export interface FraudReason {
  readonly rule: FraudRuleName;
  readonly weight: number;
  readonly detail: string;
}

export type FraudDecision = 'allow' | 'review' | 'deny';

/** The outcome of scoring one checkout; stored with the order as it is. */
export interface FraudAssessment {
  readonly decision: FraudDecision;
  readonly score: number;
  readonly reasons: readonly FraudReason[];
}
