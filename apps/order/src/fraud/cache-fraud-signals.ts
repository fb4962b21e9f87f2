import { createHash } from 'node:crypto';
import { KeyValueCache } from '@mercato/cache';
import type { VelocityCounts } from './fraud.model';
import { FraudSignals, type SignalSubject } from './fraud-signals';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Buckets a window is counted in: 5-minute buckets for the hour, 2-hour ones for the day. */
const BUCKETS_PER_WINDOW = 12;
const WINDOWS = { lastHour: HOUR_MS, lastDay: DAY_MS } as const;

/**
 * FraudSignals over the shared cache (Redis on the stack): a counter per subject, window and
 * bucket, raised with the cache's atomic `increment` (so concurrent checkouts on any process
 * all count), created with a TTL just over its window so old buckets disappear on their own.
 * A window is the sum of its last 13 buckets (the current, partly elapsed one included), which
 * is why a count may run one bucket long but never short. A sorted set per subject would be
 * exact, but the cache port has none; 26 keys read in one `getMany` are one round trip.
 */
export class CacheFraudSignals extends FraudSignals {
  constructor(private readonly cache: KeyValueCache) {
    super();
  }

  async recordAttempt(subjects: readonly SignalSubject[], at: Date): Promise<void> {
    const increments = subjects.flatMap((subject) => {
      const prefix = subjectKey(subject);
      return Object.values(WINDOWS).map((windowMs) => {
        const bucketMs = windowMs / BUCKETS_PER_WINDOW;
        const key = bucketKey(prefix, windowMs, Math.floor(at.getTime() / bucketMs));
        return this.cache.increment(key, 1, (windowMs + bucketMs) / 1000);
      });
    });
    await Promise.all(increments);
  }

  async recentAttempts(subject: SignalSubject, at: Date): Promise<VelocityCounts> {
    const prefix = subjectKey(subject);
    const hourKeys = windowKeys(prefix, WINDOWS.lastHour, at);
    const dayKeys = windowKeys(prefix, WINDOWS.lastDay, at);
    const values = await this.cache.getMany([...hourKeys, ...dayKeys]);
    const sum = (counts: (string | undefined)[]) =>
      counts.reduce((total, value) => total + (value === undefined ? 0 : Number(value)), 0);
    return {
      lastHour: sum(values.slice(0, hourKeys.length)),
      lastDay: sum(values.slice(hourKeys.length)),
    };
  }
}

/**
 * The subject's id hashed: ids come from clients (`X-Device-Id`, IPv6 addresses with colons),
 * and a hash keeps every key short and free of the separator.
 */
function subjectKey(subject: SignalSubject): string {
  const id = createHash('sha256').update(subject.id).digest('base64url').slice(0, 22);
  return `fraud:attempts:${subject.kind}:${id}`;
}

/** One bucket's key under the subject's `subjectKey`. */
function bucketKey(subjectPrefix: string, windowMs: number, bucket: number): string {
  return `${subjectPrefix}:${windowMs / HOUR_MS}h:${bucket}`;
}

/** The keys of the buckets that overlap the window ending at `at`, newest first. */
function windowKeys(subjectPrefix: string, windowMs: number, at: Date): string[] {
  const bucketMs = windowMs / BUCKETS_PER_WINDOW;
  const current = Math.floor(at.getTime() / bucketMs);
  return Array.from({ length: BUCKETS_PER_WINDOW + 1 }, (_, age) =>
    bucketKey(subjectPrefix, windowMs, current - age),
  );
}
