import type { FraudAssessment } from './fraud.model';

/** One screened checkout's decision as stored. */
export interface FraudDecisionRecord extends FraudAssessment {
  readonly orderId: string;
  readonly customerId: string;
  /** ISO 8601. */
  readonly decidedAt: string;
  readonly deviceId?: string;
  readonly ip: string;
}

/**
 * Where every fraud decision is kept with its score and reasons. The first decision of an order
 * stays: a checkout run again for the same order (an idempotency take-over) follows the decision
 * already taken instead of a new one made on counts its own first run raised.
 */
export abstract class FraudDecisions {
  /** Stores `decision` unless the order has one; answers the one stored. */
  abstract record(decision: FraudDecisionRecord): Promise<FraudDecisionRecord>;
  abstract find(orderId: string): Promise<FraudDecisionRecord | undefined>;
}
