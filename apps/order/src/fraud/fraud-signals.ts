import type { VelocityCounts } from './fraud.model';

/** What order attempts are counted by. */
export type SignalKind = 'customer' | 'device' | 'ip';

export interface SignalSubject {
  readonly kind: SignalKind;
  readonly id: string;
}

/**
 * Counters of order attempts for the velocity rules, shared by every process of a deployment.
 * `recentAttempts` may count an attempt up to one twelfth of a window longer than the window
 * (adapters count in buckets), never shorter: a burst is never missed, an old attempt may count
 * a few minutes too long.
 */
export abstract class FraudSignals {
  /** Counts one order attempt for each subject (its customer, its device when known, its IP). */
  abstract recordAttempt(subjects: readonly SignalSubject[], at: Date): Promise<void>;
  /** The subject's attempts in the hour and the day before `at`. */
  abstract recentAttempts(subject: SignalSubject, at: Date): Promise<VelocityCounts>;
}
