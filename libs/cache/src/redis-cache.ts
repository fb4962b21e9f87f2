import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import {
  assertIncrement,
  assertPrefix,
  describeError,
  redactUrl,
  ttlMs,
  type CacheLogger,
} from './cache-support';
import { CacheUnavailableError, CacheValueError } from './errors';
import { KeyValueCache, type CacheEntry, type CacheHealth } from './key-value-cache';

export interface RedisCacheOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS (ElastiCache in transit). */
  url: string;
  /** Time to establish a connection before an attempt counts as failed. Default 2,000 ms. */
  connectTimeoutMs?: number;
  /** A command without a reply by then rejects (a hung or partitioned server). Default 2,000 ms. */
  commandTimeoutMs?: number;
  /** Longest wait between reconnection attempts (doubling from 50 ms). Default 2,000 ms. */
  maxReconnectDelayMs?: number;
  /** Longest time `init()` waits for the first connection before returning anyway. Default 3,000 ms. */
  initWaitMs?: number;
  /**
   * Prepended to every key this cache reads or writes (CACHE_KEY_PREFIX), so several stores
   * (environments, test runs) can share one Redis without reading each other's entries.
   */
  keyPrefix?: string;
  logger?: CacheLogger;
  /** Extra ioredis options (tests); the fail-fast ones above win. */
  redisOptions?: RedisOptions;
}

/**
 * INCRBY and, when the increment created the key, PEXPIRE — atomically, in one round trip.
 * ARGV[2] is the TTL in milliseconds or '' for none.
 */
const INCREMENT_SCRIPT = `
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if created and ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

type RedisWithIncrement = Redis & {
  mercatoIncrement(key: string, by: number, ttlMs: string): Promise<number>;
};

/** Keys per MGET; longer lists are split into several MGETs written back to back. */
const MGET_CHUNK = 1_000;

/**
 * The shared cache (`MERCATO_CACHE=redis`) on Redis or ElastiCache through ioredis.
 *
 * Fails fast instead of queueing: no offline queue, in-flight commands rejected as soon as the
 * connection drops, a command timeout for a server that stops answering. Meanwhile it reconnects
 * in the background with a capped doubling delay, and serves again once Redis is back.
 * Needs a non-cluster endpoint (MGET spans keys; ElastiCache with cluster mode disabled).
 */
export class RedisCache extends KeyValueCache {
  private readonly redis: RedisWithIncrement;
  private readonly where: string;
  private readonly logger: CacheLogger;
  private lastProblem?: string;
  private outage = false;
  private closed = false;
  private version?: string;

  constructor(private readonly options: RedisCacheOptions) {
    super();
    this.where = redactUrl(options.url);
    this.logger = options.logger ?? new Logger(RedisCache.name);
    const maxDelay = options.maxReconnectDelayMs ?? 2_000;
    // `disconnectTimeout` (untyped, default 2 s): how long disconnect() waits for the socket to
    // close before destroying it; its timer outlives a socket that already failed.
    const redisOptions: RedisOptions & { disconnectTimeout: number } = {
      disconnectTimeout: 200,
      ...options.redisOptions,
      keyPrefix: options.keyPrefix ?? '',
      lazyConnect: true,
      enableOfflineQueue: false,
      // Commands caught by a lost connection are rejected at once, not replayed after reconnection.
      maxRetriesPerRequest: 0,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      commandTimeout: options.commandTimeoutMs ?? 2_000,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 16), maxDelay),
    };
    this.redis = new Redis(options.url, redisOptions) as RedisWithIncrement;
    this.redis.defineCommand('mercatoIncrement', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
    this.redis.on('error', (error: unknown) => this.onConnectionProblem(describeError(error)));
    this.redis.on('close', () => {
      if (!this.closed) this.onConnectionProblem(this.lastProblem ?? 'connection closed');
    });
    this.redis.on('ready', () => this.onReady());
  }

  /** Connects; resolves when connected or after `initWaitMs` — never rejects for an absent Redis. */
  async init(): Promise<void> {
    if (this.redis.status !== 'wait') return;
    const connected = this.redis.connect().then(
      () => true,
      (error: unknown) => {
        // The socket's own error (e.g. ECONNREFUSED) came first and says more than this one.
        this.onConnectionProblem(this.lastProblem ?? describeError(error));
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.initWaitMs ?? 3_000);
    });
    await Promise.race([connected, waited]).finally(() => clearTimeout(timer));
  }

  /** QUIT after pending replies (graceful), or drops the socket when not connected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'ready') {
      try {
        await this.redis.quit();
        return;
      } catch {
        // fall through: the connection went away meanwhile
      }
    }
    this.redis.disconnect();
  }

  async health(): Promise<CacheHealth> {
    if (this.closed) return { up: false, detail: `Redis client for ${this.where} is closed` };
    if (this.redis.status !== 'ready') return { up: false, detail: this.unreachable() };
    try {
      await this.redis.ping();
      return {
        up: true,
        detail: `Redis ${this.version ?? ''} at ${this.where}`.replace('  ', ' '),
      };
    } catch (error) {
      return { up: false, detail: `cannot reach Redis at ${this.where}: ${describeError(error)}` };
    }
  }

  get(key: string): Promise<string | undefined> {
    return this.redis.get(key).then(
      (value) => value ?? undefined,
      (error: unknown) => this.fail(error, key),
    );
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return [];
    try {
      if (keys.length <= MGET_CHUNK) return toValues(await this.redis.mget(keys as string[]));
      const chunks: Promise<(string | null)[]>[] = [];
      for (let i = 0; i < keys.length; i += MGET_CHUNK) {
        chunks.push(this.redis.mget(keys.slice(i, i + MGET_CHUNK)));
      }
      return toValues((await Promise.all(chunks)).flat());
    } catch (error) {
      return this.fail(error);
    }
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const ttl = ttlMs(ttlSeconds);
    try {
      if (ttl === undefined) await this.redis.set(key, value);
      else await this.redis.set(key, value, 'PX', ttl);
    } catch (error) {
      return this.fail(error, key);
    }
  }

  async setMany(entries: readonly CacheEntry[], ttlSeconds?: number): Promise<void> {
    const ttl = ttlMs(ttlSeconds);
    if (entries.length === 0) return;
    try {
      if (ttl === undefined) {
        await this.redis.mset(entries.flatMap(({ key, value }) => [key, value]));
        return;
      }
      const pipeline = this.redis.pipeline();
      for (const { key, value } of entries) pipeline.set(key, value, 'PX', ttl);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    } catch (error) {
      return this.fail(error);
    }
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      // UNLINK frees large values off Redis's main thread.
      await this.redis.unlink(...keys);
    } catch (error) {
      return this.fail(error);
    }
  }

  async deleteByPrefix(prefix: string): Promise<number> {
    assertPrefix(prefix);
    // MATCH is a glob: escape its special characters so the prefix is taken literally.
    // ioredis prefixes the keys of commands but not SCAN's pattern nor the keys it returns.
    const own = this.options.keyPrefix ?? '';
    const pattern = `${(own + prefix).replace(/[*?[\]\\]/g, '\\$&')}*`;
    let removed = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length > 0) {
          removed += await this.redis.unlink(...keys.map((key) => key.slice(own.length)));
        }
        cursor = next;
      } while (cursor !== '0');
      return removed;
    } catch (error) {
      return this.fail(error);
    }
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    assertIncrement(by);
    const ttl = ttlMs(ttlSeconds);
    try {
      return Number(
        await this.redis.mercatoIncrement(key, by, ttl === undefined ? '' : String(ttl)),
      );
    } catch (error) {
      if (isReplyError(error) && /not an integer|overflow/i.test(error.message)) {
        throw new CacheValueError(key);
      }
      return this.fail(error, key);
    }
  }

  /** Errors Redis answered with (a bug of ours) pass through; everything else is unavailability. */
  private fail(error: unknown, key?: string): never {
    if (isReplyError(error)) throw error;
    const reason = this.closed
      ? 'the client is closed'
      : this.redis.status === 'ready'
        ? describeError(error)
        : (this.lastProblem ?? describeError(error));
    throw new CacheUnavailableError(
      `cache unavailable${key === undefined ? '' : ` for "${key}"`}: cannot reach Redis at ${this.where}: ${reason}`,
      { cause: error },
    );
  }

  private unreachable(): string {
    const reason =
      this.lastProblem ??
      (this.redis.status === 'wait' ? 'not connected yet (init() not called)' : this.redis.status);
    return `cannot reach Redis at ${this.where}: ${reason}`;
  }

  private onConnectionProblem(reason: string): void {
    if (this.closed) return;
    this.lastProblem = reason;
    if (!this.outage) {
      this.outage = true;
      this.logger.error(
        `cannot reach Redis at ${this.where}: ${reason}; reconnecting in the background`,
      );
    }
  }

  private onReady(): void {
    if (this.outage) this.logger.log(`Redis at ${this.where} is reachable again`);
    else this.logger.log(`connected to Redis at ${this.where}`);
    this.outage = false;
    this.lastProblem = undefined;
    this.redis.info('server').then(
      (info) => (this.version = /redis_version:([^\r\n]+)/.exec(info)?.[1]),
      () => undefined,
    );
  }
}

function toValues(values: (string | null)[]): (string | undefined)[] {
  return values.map((value) => value ?? undefined);
}

function isReplyError(error: unknown): error is Error {
  return typeof error === 'object' && error !== null && (error as Error).name === 'ReplyError';
}
