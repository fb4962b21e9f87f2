import { Logger } from '@nestjs/common';
import { MemoryCache } from '@mercato/cache';
import { TooManyRequestsException } from '@mercato/runtime';
import { AuthThrottle, failureDelaySeconds, TOO_MANY_ATTEMPTS } from './auth-throttle';
import { FakeClock, testConfig } from '../../test/support/identity-test-support';

/** The wait a throttled call asks for, or 'passed' when it was let through. */
async function outcome(call: Promise<void>): Promise<number | 'passed'> {
  try {
    await call;
    return 'passed';
  } catch (error) {
    expect(error).toBeInstanceOf(TooManyRequestsException);
    const exception = error as TooManyRequestsException;
    expect(exception.getStatus()).toBe(429);
    expect(exception.getResponse()).toMatchObject({ code: TOO_MANY_ATTEMPTS });
    return exception.retryAfterSeconds;
  }
}

describe('AuthThrottle', () => {
  const config = testConfig();
  let clock: FakeClock;
  let cache: MemoryCache;
  let throttle: AuthThrottle;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    clock = new FakeClock();
    // The cache's TTLs run on the same fake clock.
    cache = new MemoryCache({ clock: () => clock.now() });
    await cache.init();
    throttle = new AuthThrottle(cache, clock, config);
  });

  /**
   * One sign-in attempt of `email` that fails, as the controller runs it; from a new client
   * address each time, so only the account's rule applies.
   */
  let client = 0;
  const failedLogin = async (
    email: string,
    ip = `192.0.2.${++client}`,
  ): Promise<number | 'passed'> => {
    const result = await outcome(throttle.beforeLogin(ip, email));
    if (result === 'passed') await throttle.loginFailed(email);
    return result;
  };

  describe('failureDelaySeconds (defaults: wait from 5 failures, lock from 10)', () => {
    it('lets the first four failures by, doubles the wait from the fifth, locks from the tenth', () => {
      const waits = Array.from({ length: 12 }, (_, i) => failureDelaySeconds(i + 1, config));
      expect(waits).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        1,
        2,
        4,
        8,
        16,
        900,
        900,
        900,
      ]);
    });

    it('never waits longer than the lock, whatever the settings', () => {
      const steep = {
        ...config,
        AUTH_LOGIN_DELAY_SECONDS: 300,
        AUTH_LOGIN_LOCK_AFTER_FAILURES: 50,
      };
      expect(failureDelaySeconds(5, steep)).toBe(300);
      expect(failureDelaySeconds(7, steep)).toBe(900);
      expect(failureDelaySeconds(49, steep)).toBe(900);
    });
  });

  describe('per account', () => {
    it('refuses attempts while the account waits, with a growing Retry-After, then locks it', async () => {
      const email = 'ann@example.com';
      for (let i = 0; i < 4; i++) expect(await failedLogin(email)).toBe('passed');
      const waits: number[] = [];
      for (let failure = 5; failure <= 10; failure++) {
        expect(await failedLogin(email)).toBe('passed'); // the failure that sets the wait
        const wait = await failedLogin(email); // refused at once, not counted
        expect(wait).not.toBe('passed');
        waits.push(wait as number);
        clock.advance((wait as number) * 1000 - 1);
        expect(await failedLogin(email)).toBe(1); // 1 ms left: still refused, rounded up
        clock.advance(1);
      }
      expect(waits).toEqual([1, 2, 4, 8, 16, 900]);
    });

    it('counts the account whatever the case and spaces of the email, and apart from others', async () => {
      for (let i = 0; i < 5; i++)
        await failedLogin(i % 2 ? ' BOB@example.com ' : 'bob@example.com');
      expect(await failedLogin('Bob@Example.com')).toBe(1);
      expect(await failedLogin('carol@example.com')).toBe('passed');
    });

    it('forgets the failures after a successful sign-in', async () => {
      const email = 'dan@example.com';
      for (let i = 0; i < 5; i++) await failedLogin(email);
      clock.advance(1_000);
      await throttle.beforeLogin('192.0.2.1', email);
      await throttle.loginSucceeded(email);
      for (let i = 0; i < 4; i++) expect(await failedLogin(email)).toBe('passed');
    });

    it('forgets the failures a window after the first one', async () => {
      const email = 'eve@example.com';
      for (let i = 0; i < 4; i++) await failedLogin(email);
      clock.advance(config.AUTH_LOGIN_FAILURE_WINDOW_SECONDS * 1000 + 1);
      for (let i = 0; i < 4; i++) expect(await failedLogin(email)).toBe('passed');
      expect(await failedLogin(email)).toBe('passed');
      expect(await failedLogin(email)).toBe(1);
    });

    it('locks an account that fails again after its lock, for the whole lock again', async () => {
      const short = testConfig({
        AUTH_LOGIN_DELAY_AFTER_FAILURES: '2',
        AUTH_LOGIN_LOCK_AFTER_FAILURES: '3',
        AUTH_LOGIN_LOCK_SECONDS: '60',
      });
      throttle = new AuthThrottle(cache, clock, short);
      const email = 'fay@example.com';
      await failedLogin(email);
      await failedLogin(email);
      clock.advance(1_000);
      await failedLogin(email);
      expect(await failedLogin(email)).toBe(60);
      clock.advance(60_000);
      expect(await failedLogin(email)).toBe('passed');
      expect(await failedLogin(email)).toBe(60);
    });
  });

  describe('per client address', () => {
    it('refuses sign-ins past the limit until the window ends, whatever the accounts', async () => {
      const ip = '198.51.100.7';
      for (let i = 0; i < config.AUTH_LOGIN_IP_LIMIT; i++) {
        expect(await outcome(throttle.beforeLogin(ip, `user${i}@example.com`))).toBe('passed');
      }
      const wait = await outcome(throttle.beforeLogin(ip, 'someone.else@example.com'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(config.AUTH_LOGIN_IP_WINDOW_SECONDS);
      expect(await outcome(throttle.beforeLogin('198.51.100.8', 'x@example.com'))).toBe('passed');
      clock.advance((wait as number) * 1000);
      expect(await outcome(throttle.beforeLogin(ip, 'x@example.com'))).toBe('passed');
    });

    it('says exactly how long is left of the window', async () => {
      clock.time = 1_000 * 60 * 1_000_000 + 45_000; // 45 s into a 60 s window
      const ip = '198.51.100.9';
      for (let i = 0; i < config.AUTH_LOGIN_IP_LIMIT; i++) await throttle.beforeLogin(ip, 'a@b.co');
      expect(await outcome(throttle.beforeLogin(ip, 'a@b.co'))).toBe(15);
    });

    it('refuses registrations past their own limit', async () => {
      const ip = '203.0.113.5';
      for (let i = 0; i < config.AUTH_REGISTER_IP_LIMIT; i++) {
        expect(await outcome(throttle.beforeRegister(ip))).toBe('passed');
      }
      expect(await outcome(throttle.beforeRegister(ip))).toBeGreaterThan(1);
      expect(await outcome(throttle.beforeLogin(ip, 'a@b.co'))).toBe('passed');
    });
  });

  it('keeps no email in the cache keys', async () => {
    const keys: string[] = [];
    const spy = jest.spyOn(cache, 'increment').mockImplementation(async (key) => {
      keys.push(key);
      return 1;
    });
    await failedLogin('private.person@example.com');
    spy.mockRestore();
    expect(keys.join(' ')).not.toContain('private');
  });

  it('lets requests through while the cache fails', async () => {
    await cache.close();
    expect(await failedLogin('gus@example.com')).toBe('passed');
    expect(await outcome(throttle.beforeRegister('192.0.2.9'))).toBe('passed');
  });
});
