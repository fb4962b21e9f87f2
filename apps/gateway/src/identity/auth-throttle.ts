import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { KeyValueCache } from '@mercato/cache';
import { InjectConfig } from '@mercato/config';
import { TooManyRequestsException } from '@mercato/runtime';
import { Clock } from './clock';
import type { AuthThrottleConfig } from './identity.config';
import { normaliseEmail } from './identity.service';

/** The `code` of every throttled sign-in or registration (429 problem+json). */
export const TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS';

/** How long one cache outage warning stands for the next ones. */
const OUTAGE_LOG_INTERVAL_MS = 60_000;

/**
 * How long an account waits after its `failures`-th failed sign-in in a row, in seconds, or
 * undefined when it need not wait:
 * - from AUTH_LOGIN_LOCK_AFTER_FAILURES on, AUTH_LOGIN_LOCK_SECONDS (locked);
 * - from AUTH_LOGIN_DELAY_AFTER_FAILURES on, AUTH_LOGIN_DELAY_SECONDS doubled at each further
 *   failure (1, 2, 4, 8… by default), never more than the lock.
 */
export function failureDelaySeconds(
  failures: number,
  config: AuthThrottleConfig,
): number | undefined {
  if (failures >= config.AUTH_LOGIN_LOCK_AFTER_FAILURES) return config.AUTH_LOGIN_LOCK_SECONDS;
  if (failures < config.AUTH_LOGIN_DELAY_AFTER_FAILURES) return undefined;
  const doublings = Math.min(failures - config.AUTH_LOGIN_DELAY_AFTER_FAILURES, 30);
  return Math.min(config.AUTH_LOGIN_DELAY_SECONDS * 2 ** doublings, config.AUTH_LOGIN_LOCK_SECONDS);
}

/**
 * Bounds password guessing and the cost of password hashing, through the cache port (in this
 * process embedded, shared Redis on the stack, so every gateway counts together):
 *
 * - per account (the normalised email, known or not, so the answers tell nothing about which
 *   emails exist): failed sign-ins are counted for AUTH_LOGIN_FAILURE_WINDOW_SECONDS from the
 *   first one; past a threshold each further attempt must wait (`failureDelaySeconds`), then
 *   the account is locked. A successful sign-in forgets its failures.
 * - per client address (`request.ip`: the TCP peer, or what TRUST_PROXY lets a proxy name):
 *   sign-in attempts, whatever the accounts, and registrations per fixed window.
 *
 * Every check runs before the password is hashed. A refused attempt answers 429 problem+json
 * with code TOO_MANY_ATTEMPTS and `Retry-After` in seconds, and is not counted as a failure
 * (waiting is enough to be let in again). Keys hold a hash of the email, never the email.
 *
 * While the cache is unreachable the throttle lets requests through (logged once a minute), so
 * a cache outage does not stop sign-in.
 */
@Injectable()
export class AuthThrottle {
  private readonly logger = new Logger(AuthThrottle.name);
  private lastOutageLog = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly cache: KeyValueCache,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AuthThrottleConfig,
  ) {}

  /** Before a sign-in checks the password: throws TooManyRequestsException when it must wait. */
  async beforeLogin(clientIp: string, email: string): Promise<void> {
    await this.countPerClient(
      'login-ip',
      clientIp,
      this.config.AUTH_LOGIN_IP_LIMIT,
      this.config.AUTH_LOGIN_IP_WINDOW_SECONDS,
      'Too many sign-in attempts from this address',
    );
    const until = Number(await this.safely(() => this.cache.get(blockedKey(email))));
    const waitMs = until - this.clock.now();
    if (Number.isFinite(waitMs) && waitMs > 0) {
      throw new TooManyRequestsException(
        `Too many failed sign-ins for this account; try again in ${Math.ceil(waitMs / 1000)} s.`,
        waitMs / 1000,
        TOO_MANY_ATTEMPTS,
      );
    }
  }

  /** After a wrong email or password: counts the failure and sets the account's wait, if any. */
  async loginFailed(email: string): Promise<void> {
    const failures = await this.safely(() =>
      this.cache.increment(failuresKey(email), 1, this.config.AUTH_LOGIN_FAILURE_WINDOW_SECONDS),
    );
    const delay = failures === undefined ? undefined : failureDelaySeconds(failures, this.config);
    if (delay === undefined) return;
    const until = this.clock.now() + delay * 1000;
    await this.safely(() => this.cache.set(blockedKey(email), String(until), delay));
  }

  /** After a successful sign-in: the account's failures and wait are forgotten. */
  async loginSucceeded(email: string): Promise<void> {
    await this.safely(() => this.cache.delete(failuresKey(email), blockedKey(email)));
  }

  /** Before a registration hashes its password. */
  async beforeRegister(clientIp: string): Promise<void> {
    await this.countPerClient(
      'register-ip',
      clientIp,
      this.config.AUTH_REGISTER_IP_LIMIT,
      this.config.AUTH_REGISTER_IP_WINDOW_SECONDS,
      'Too many registrations from this address',
    );
  }

  /** Counts one attempt in the client's current fixed window; throws past the limit. */
  private async countPerClient(
    kind: string,
    clientIp: string,
    limit: number,
    windowSeconds: number,
    what: string,
  ): Promise<void> {
    const now = this.clock.now();
    const windowMs = windowSeconds * 1000;
    const windowEnd = (Math.floor(now / windowMs) + 1) * windowMs;
    const key = `auth:${kind}:${clientIp}:${windowEnd}`;
    const attempts = await this.safely(() =>
      this.cache.increment(key, 1, (windowEnd - now) / 1000),
    );
    if (attempts !== undefined && attempts > limit) {
      const wait = (windowEnd - now) / 1000;
      throw new TooManyRequestsException(
        `${what}; try again in ${Math.ceil(wait)} s.`,
        wait,
        TOO_MANY_ATTEMPTS,
      );
    }
  }

  /** A cache call, or undefined when the cache fails (the throttle then lets the request by). */
  private async safely<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const now = this.clock.now();
      if (now - this.lastOutageLog >= OUTAGE_LOG_INTERVAL_MS) {
        this.lastOutageLog = now;
        this.logger.warn(
          `Sign-in throttling is off while the cache fails: ${(error as Error).message}`,
        );
      }
      return undefined;
    }
  }
}

/** The account part of a key: a digest of the normalised email (no address in the cache). */
const accountId = (email: string): string =>
  createHash('sha256').update(normaliseEmail(email)).digest('base64url').slice(0, 32);
const failuresKey = (email: string) => `auth:login-failures:${accountId(email)}`;
const blockedKey = (email: string) => `auth:login-blocked:${accountId(email)}`;
