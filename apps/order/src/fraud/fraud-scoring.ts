import type { FraudConfig } from './fraud.config';
import type { FraudAssessment, FraudDecision, FraudInput, FraudReason } from './fraud.model';
import { FRAUD_RULES, type FraudRule } from './fraud.rules';

/** The decision a score leads to under the configured thresholds. */
export function decisionFor(score: number, config: FraudConfig): FraudDecision {
  if (score >= config.FRAUD_DENY_SCORE) return 'deny';
  if (score >= config.FRAUD_REVIEW_SCORE) return 'review';
  return 'allow';
}

/**
 * Scores one checkout: the sum of the weights of the rules that fire, and the decision it
 * leads to, with every reason. Pure: the same input and config give the same assessment.
 * A rule configured with weight 0 is off and leaves no reason.
 */
export function assessFraud(
  input: FraudInput,
  config: FraudConfig,
  rules: readonly FraudRule[] = FRAUD_RULES,
): FraudAssessment {
  const reasons = rules
    .map((rule) => rule(input, config))
    .filter((reason): reason is FraudReason => reason !== undefined && reason.weight > 0);
  const score = reasons.reduce((sum, reason) => sum + reason.weight, 0);
  return { decision: decisionFor(score, config), score, reasons };
}
