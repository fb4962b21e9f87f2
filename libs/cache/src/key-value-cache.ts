/** What `health()` reports: `detail` names the engine and, when down, why. */
export interface CacheHealth {
  up: boolean;
  detail: string;
}

/** One entry of `setMany`. */
export interface CacheEntry {
  key: string;
  value: string;
}

/**
 * The cache port: a key-value store of strings, shared by every process of a deployment when it
 * is Redis (product read models, carts, rate limits, recommendations). Values are strings because
 * read models are kept pre-serialised and sent as they are (docs/performance.md); callers that
 * need objects serialise themselves.
 *
 * Semantics every adapter keeps (checked by `cacheContract` in @mercato/testing):
 * - a missing or expired key reads as `undefined`; values come back exactly as stored
 *   (any Unicode, any length the engine takes);
 * - `ttlSeconds` is a positive number of seconds (fractions allowed, millisecond precision);
 *   without it an entry lives until it is deleted, overwritten or evicted (memory pressure:
 *   LRU in memory, `maxmemory-policy` on Redis). Writing a key replaces its value and its TTL;
 * - `getMany` answers in the order of the keys asked, `undefined` for each missing one;
 * - `setMany` writes every entry with the same TTL (one round trip on Redis; not a transaction:
 *   a failure may leave some entries written);
 * - `increment` is atomic across every process sharing the cache: it adds `by` (an integer,
 *   may be negative) to the integer stored at `key` (0 when missing) and returns the new value,
 *   stored as its decimal string. `ttlSeconds` applies only when the increment creates the key
 *   (a fixed window for rate limits); an existing key keeps its expiry. A value that is not an
 *   integer rejects with CacheValueError;
 * - `delete` removes the keys given (missing ones are ignored);
 * - `deleteByPrefix` removes every key that starts with the prefix (a read model dropping all its
 *   entries at once, e.g. when a promotion changes every price). It walks the key space in
 *   batches (SCAN on Redis, never KEYS), so keys written while it runs may survive; callers
 *   guard against that themselves. Answers how many keys it removed. An empty prefix is refused.
 *
 * Failures: while the engine is unreachable every call rejects at once with
 * CacheUnavailableError (never queued until it returns); callers decide how to degrade (e.g. the
 * gateway falls back to the service). `health()` never rejects.
 *
 * Lifecycle: `init()` connects (it does not throw when the engine is away: the adapter keeps
 * reconnecting and `health()` says what it cannot reach); `close()` disconnects gracefully.
 */
export abstract class KeyValueCache {
  abstract get(key: string): Promise<string | undefined>;
  abstract getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  abstract set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  abstract setMany(entries: readonly CacheEntry[], ttlSeconds?: number): Promise<void>;
  abstract delete(...keys: string[]): Promise<void>;
  abstract deleteByPrefix(prefix: string): Promise<number>;
  abstract increment(key: string, by?: number, ttlSeconds?: number): Promise<number>;
  abstract health(): Promise<CacheHealth>;
  abstract init(): Promise<void>;
  abstract close(): Promise<void>;
}
