import { LRUCache } from 'lru-cache';
import { ttlMs } from './cache-support';
import { cacheRequestCounters, type CacheRequestCounters } from './cache-metrics';
import { KeyValueCache, type CacheEntry, type CacheHealth } from './key-value-cache';

export interface TwoLevelCacheOptions {
  /** Most entries kept in this process. Default 10,000. */
  maxEntries?: number;
  /** Approximate memory bound of the local layer (UTF-16: 2 bytes a character). Default 64 MiB. */
  maxBytes?: number;
  /**
   * How long a value stays in this process without asking the shared cache: the bound on how
   * stale a local copy can be when another process changes the key. Default 5 s.
   */
  ttlSeconds?: number;
  /** Milliseconds clock for local TTLs (tests); defaults to `performance.now`. */
  clock?: () => number;
}

/**
 * A small in-process LRU of strings in front of any KeyValueCache (the shared Redis in
 * production): a local hit costs a Map lookup, no round trip and no parse, so a cached read model
 * is sent at raw `node:http` speed (docs/performance.md, "Reference figures").
 *
 * - Reads fill the local layer from the shared one; concurrent `get`s of one missing key share
 *   one shared lookup.
 * - Writes and deletes through this object go to the shared cache first, then replace or drop the
 *   local copy. Other processes' local copies are not told: they expire after the local TTL, or
 *   sooner when their owner calls `invalidate(keys)` (e.g. on a change event).
 * - `increment` always goes to the shared cache (counters are never cached locally; read rate
 *   counters from the shared cache, not through this).
 * - The one promise of the port this loosens: a copy read from the shared cache does not know the
 *   shared entry's remaining TTL, so it may be served up to the local TTL after the shared entry
 *   expired or changed. Entries written through this object keep min(local TTL, their TTL).
 * - When the shared cache is down, local hits are still served and everything else rejects as
 *   the shared cache does.
 * - Counts `mercato_cache_requests_total{layer="local|shared", outcome="hit|miss"}` per key.
 */
export class TwoLevelCache extends KeyValueCache {
  private readonly local: LRUCache<string, string>;
  private readonly localTtlMs: number;
  private readonly counters: CacheRequestCounters;
  /** Single flight: the shared lookup under way per key. */
  private readonly pending = new Map<string, Promise<string | undefined>>();
  /**
   * While lookups are under way: when each key was last written or invalidated, on the `clock`
   * of `sequence`. A lookup that started before that must not fill the local layer with what it
   * read (it may be the old value).
   */
  private readonly changedAt = new Map<string, number>();
  private allChangedAt = 0;
  private sequence = 0;
  private lookups = 0;

  constructor(
    readonly shared: KeyValueCache,
    options: TwoLevelCacheOptions = {},
  ) {
    super();
    this.localTtlMs = ttlMs(options.ttlSeconds ?? 5)!;
    this.local = new LRUCache<string, string>({
      max: options.maxEntries ?? 10_000,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (value, key) => 2 * (key.length + value.length) + 64,
      ttl: this.localTtlMs,
      ...(options.clock ? { perf: { now: options.clock }, ttlResolution: 0 } : {}),
    });
    this.counters = cacheRequestCounters();
  }

  /** Drops the local copies of `keys` (the shared cache is untouched). */
  invalidate(keys: Iterable<string>): void {
    for (const key of keys) this.forgetLocally(key);
  }

  /** Drops every local copy. */
  invalidateAll(): void {
    this.allChangedAt = ++this.sequence;
    this.pending.clear();
    this.local.clear();
  }

  /** Entries held in this process (tests, diagnostics). */
  get localSize(): number {
    return this.local.size;
  }

  /**
   * The local copy of `key`, synchronously, or undefined. For hot paths that answer before any
   * asynchronous work when the value is at hand; counts a local hit only.
   *
   * A copy past its local TTL is still answered while one refresh from the shared cache runs
   * in the background (replacing it, or dropping it when the shared entry is gone or the shared
   * cache fails). Without this, every hot key left the fast path once per TTL for a shared
   * lookup through the full request pipeline: on the stack, ~3% of requests at 20k req/s, each
   * many times the cost of a hit. Staleness stays bounded by the TTL plus one shared round trip.
   */
  peekLocal(key: string): string | undefined {
    const hit = this.local.get(key, { allowStale: true, noDeleteOnStaleGet: true });
    if (hit === undefined) return undefined;
    if (this.local.getRemainingTTL(key) <= 0) this.refreshInBackground(key);
    this.counters.localHit.inc();
    return hit;
  }

  /** The one refresh of a stale local copy: the same single flight as a `get` of the key. */
  private refreshInBackground(key: string): void {
    if (this.pending.has(key)) return;
    const dropIfStill = () => {
      if (this.local.getRemainingTTL(key) <= 0) this.local.delete(key);
    };
    this.sharedLookup(key).then((value) => {
      if (value === undefined) dropIfStill();
    }, dropIfStill);
  }

  get(key: string): Promise<string | undefined> {
    const hit = this.local.get(key);
    if (hit !== undefined) {
      this.counters.localHit.inc();
      return Promise.resolve(hit);
    }
    this.counters.localMiss.inc();
    return this.pending.get(key) ?? this.sharedLookup(key);
  }

  /** Reads `key` from the shared cache, registered in `pending` until it settles. */
  private sharedLookup(key: string): Promise<string | undefined> {
    const lookup = this.lookup([key], () => this.shared.get(key).then((value) => [value])).then(
      ([value]) => value,
    );
    this.pending.set(key, lookup);
    const done = (): void => {
      if (this.pending.get(key) === lookup) this.pending.delete(key);
    };
    lookup.then(done, done);
    return lookup;
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    const values: (string | undefined)[] = new Array<string | undefined>(keys.length);
    const missing: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const hit = this.local.get(keys[i]);
      if (hit === undefined) missing.push(i);
      else values[i] = hit;
    }
    this.counters.localHit.inc(keys.length - missing.length);
    if (missing.length === 0) return values;
    this.counters.localMiss.inc(missing.length);
    const missingKeys = missing.map((i) => keys[i]);
    const found = await this.lookup(missingKeys, () => this.shared.getMany(missingKeys));
    missing.forEach((index, j) => (values[index] = found[j]));
    return values;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.forgetLocally(key);
    await this.shared.set(key, value, ttlSeconds);
    this.keepLocally(key, value, ttlSeconds);
  }

  async setMany(entries: readonly CacheEntry[], ttlSeconds?: number): Promise<void> {
    for (const { key } of entries) this.forgetLocally(key);
    await this.shared.setMany(entries, ttlSeconds);
    for (const { key, value } of entries) this.keepLocally(key, value, ttlSeconds);
  }

  async delete(...keys: string[]): Promise<void> {
    this.invalidate(keys);
    await this.shared.delete(...keys);
  }

  /** Drops every local copy (cheaper than matching), then the shared keys with the prefix. */
  deleteByPrefix(prefix: string): Promise<number> {
    this.invalidateAll();
    return this.shared.deleteByPrefix(prefix);
  }

  increment(key: string, by?: number, ttlSeconds?: number): Promise<number> {
    this.forgetLocally(key);
    return this.shared.increment(key, by, ttlSeconds);
  }

  async health(): Promise<CacheHealth> {
    const shared = await this.shared.health();
    return { up: shared.up, detail: `${shared.detail} (+ local LRU, ${this.local.size} entries)` };
  }

  init(): Promise<void> {
    return this.shared.init();
  }

  async close(): Promise<void> {
    this.invalidateAll();
    await this.shared.close();
  }

  /** Reads `keys` from the shared cache, counts, and fills the local layer unless changed meanwhile. */
  private async lookup(
    keys: readonly string[],
    read: () => Promise<(string | undefined)[]>,
  ): Promise<(string | undefined)[]> {
    const startedAt = ++this.sequence;
    this.lookups++;
    try {
      const values = await read();
      for (let i = 0; i < keys.length; i++) {
        const value = values[i];
        if (value === undefined) {
          this.counters.sharedMiss.inc();
          continue;
        }
        this.counters.sharedHit.inc();
        const changed = Math.max(this.changedAt.get(keys[i]) ?? 0, this.allChangedAt);
        if (changed < startedAt) this.local.set(keys[i], value);
      }
      return values;
    } finally {
      if (--this.lookups === 0) this.changedAt.clear();
    }
  }

  private forgetLocally(key: string): void {
    this.local.delete(key);
    this.pending.delete(key);
    if (this.lookups > 0) this.changedAt.set(key, ++this.sequence);
  }

  private keepLocally(key: string, value: string, ttlSeconds: number | undefined): void {
    const ttl = Math.min(this.localTtlMs, ttlMs(ttlSeconds) ?? Infinity);
    this.local.set(key, value, { ttl });
  }
}
