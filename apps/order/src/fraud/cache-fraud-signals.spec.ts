import { MemoryCache } from '@mercato/cache';
import { CacheFraudSignals } from './cache-fraud-signals';
import type { SignalSubject } from './fraud-signals';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('CacheFraudSignals on MemoryCache', () => {
  let now: number;
  let cache: MemoryCache;
  let signals: CacheFraudSignals;
  /** The checkout's clock and the cache's TTL clock move together. */
  const at = (msAfterStart: number): Date => {
    now = START + msAfterStart;
    return new Date(now);
  };

  const customer: SignalSubject = { kind: 'customer', id: 'c-1' };
  const device: SignalSubject = { kind: 'device', id: 'device-1' };
  const ip: SignalSubject = { kind: 'ip', id: '2001:db8::1' };

  beforeEach(async () => {
    now = START;
    cache = new MemoryCache({ clock: () => now });
    await cache.init();
    signals = new CacheFraudSignals(cache);
  });

  afterEach(async () => {
    await cache.close();
  });

  it('counts nothing for a subject never seen', async () => {
    expect(await signals.recentAttempts(customer, at(0))).toEqual({ lastHour: 0, lastDay: 0 });
  });

  it('counts each attempt for each of its subjects, in the hour and the day', async () => {
    await signals.recordAttempt([customer, device, ip], at(0));
    await signals.recordAttempt([customer, ip], at(10 * MINUTE));

    expect(await signals.recentAttempts(customer, at(20 * MINUTE))).toEqual({
      lastHour: 2,
      lastDay: 2,
    });
    expect(await signals.recentAttempts(device, at(20 * MINUTE))).toEqual({
      lastHour: 1,
      lastDay: 1,
    });
    expect(await signals.recentAttempts(ip, at(20 * MINUTE))).toEqual({ lastHour: 2, lastDay: 2 });
  });

  it('keeps subjects apart: another id, or the same id of another kind, counts alone', async () => {
    await signals.recordAttempt([{ kind: 'customer', id: 'same' }], at(0));

    expect(await signals.recentAttempts({ kind: 'device', id: 'same' }, at(0))).toEqual({
      lastHour: 0,
      lastDay: 0,
    });
    expect(await signals.recentAttempts({ kind: 'customer', id: 'other' }, at(0))).toEqual({
      lastHour: 0,
      lastDay: 0,
    });
  });

  it('counts an attempt in the day but no longer in the hour after 65 minutes', async () => {
    await signals.recordAttempt([customer], at(0));

    expect(await signals.recentAttempts(customer, at(65 * MINUTE))).toEqual({
      lastHour: 0,
      lastDay: 1,
    });
  });

  it('forgets an attempt after a day and two hours (the day is counted in 2-hour buckets)', async () => {
    await signals.recordAttempt([customer], at(0));

    expect((await signals.recentAttempts(customer, at(23 * HOUR))).lastDay).toBe(1);
    expect(await signals.recentAttempts(customer, at(26 * HOUR + 1))).toEqual({
      lastHour: 0,
      lastDay: 0,
    });
  });

  it('counts every one of 20 concurrent attempts (atomic increments)', async () => {
    await Promise.all(Array.from({ length: 20 }, () => signals.recordAttempt([device], at(0))));

    expect(await signals.recentAttempts(device, at(0))).toEqual({ lastHour: 20, lastDay: 20 });
  });

  it('lets every process sharing the cache see the others’ attempts', async () => {
    const otherProcess = new CacheFraudSignals(cache);
    await otherProcess.recordAttempt([ip], at(0));
    await signals.recordAttempt([ip], at(MINUTE));

    expect(await otherProcess.recentAttempts(ip, at(2 * MINUTE))).toEqual({
      lastHour: 2,
      lastDay: 2,
    });
  });
});
