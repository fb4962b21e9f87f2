import { LRUCache } from 'lru-cache';
import { assertIncrement, assertPrefix, ttlMs } from './cache-support';
import { CacheUnavailableError, CacheValueError } from './errors';
import { KeyValueCache, type CacheEntry, type CacheHealth } from './key-value-cache';

export interface MemoryCacheOptions {
  /** Most entries kept; the least recently used go first. Default 100,000. */
  maxEntries?: number;
  /** Approximate memory bound of keys and values (UTF-16: 2 bytes a character). Default 256 MiB. */
  maxBytes?: number;
  /** Milliseconds clock for TTLs (tests); defaults to `performance.now`. */
  clock?: () => number;
}

const INTEGER = /^-?(0|[1-9]\d*)$/;

/**
 * The embedded cache (`MERCATO_CACHE=memory`): an LRU in this process, bounded by entries and
 * approximate bytes, with per-entry TTLs. Only right when one process serves everything
 * (`npm start`); separate processes need the shared RedisCache.
 */
export class MemoryCache extends KeyValueCache {
  private readonly entries: LRUCache<string, string>;
  private state: 'new' | 'open' | 'closed' = 'new';

  constructor(private readonly options: MemoryCacheOptions = {}) {
    super();
    this.entries = new LRUCache<string, string>({
      max: options.maxEntries ?? 100_000,
      maxSize: options.maxBytes ?? 256 * 1024 * 1024,
      sizeCalculation: (value, key) => 2 * (key.length + value.length) + 64,
      ...(options.clock ? { perf: { now: options.clock }, ttlResolution: 0 } : {}),
    });
  }

  async init(): Promise<void> {
    this.state = 'open';
  }

  async close(): Promise<void> {
    this.state = 'closed';
    this.entries.clear();
  }

  async health(): Promise<CacheHealth> {
    if (this.state !== 'open') return { up: false, detail: `in-process cache ${this.stateText()}` };
    return { up: true, detail: `in-process cache, ${this.entries.size} entries` };
  }

  async get(key: string): Promise<string | undefined> {
    this.assertOpen();
    return this.entries.get(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    this.assertOpen();
    return keys.map((key) => this.entries.get(key));
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const ttl = ttlMs(ttlSeconds);
    this.assertOpen();
    this.entries.set(key, value, { ttl: ttl ?? 0 });
  }

  async setMany(entries: readonly CacheEntry[], ttlSeconds?: number): Promise<void> {
    const ttl = ttlMs(ttlSeconds);
    this.assertOpen();
    for (const { key, value } of entries) this.entries.set(key, value, { ttl: ttl ?? 0 });
  }

  async delete(...keys: string[]): Promise<void> {
    this.assertOpen();
    for (const key of keys) this.entries.delete(key);
  }

  async deleteByPrefix(prefix: string): Promise<number> {
    assertPrefix(prefix);
    this.assertOpen();
    let removed = 0;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix) && this.entries.delete(key)) removed++;
    }
    return removed;
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    assertIncrement(by);
    const ttl = ttlMs(ttlSeconds);
    this.assertOpen();
    const current = this.entries.get(key);
    if (current === undefined) {
      this.entries.set(key, String(by), { ttl: ttl ?? 0 });
      return by;
    }
    if (!INTEGER.test(current)) throw new CacheValueError(key);
    const next = Number(current) + by;
    if (!Number.isSafeInteger(Number(current)) || !Number.isSafeInteger(next)) {
      throw new CacheValueError(key);
    }
    // An existing key keeps its expiry (fixed window), as the Redis adapter does.
    this.entries.set(key, String(next), { noUpdateTTL: true });
    return next;
  }

  private assertOpen(): void {
    if (this.state !== 'open') {
      throw new CacheUnavailableError(`in-process cache ${this.stateText()}`);
    }
  }

  private stateText(): string {
    return this.state === 'new' ? 'not initialised (call init() first)' : 'closed';
  }
}
