import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import {
  isExpired,
  idleMsOf,
  stampForCreate,
  stampForSave,
  type Cart,
  type CartIdleTimes,
  type NewCart,
} from './cart.model';
import { ownerKey, parseStoredCartJson } from './cart-codec';
import { CartOwnerChangeError, CorruptCartError } from './cart-store.errors';
import { CartStore, type Clock, type CreateCartResult, type SaveCartResult } from './cart-store';

export interface RedisCartStoreOptions {
  /** `redis://` or `rediss://`; the stack's Redis runs with append-only persistence. */
  url: string;
  /** Namespace of every key (CACHE_KEY_PREFIX): stores and test runs sharing one Redis keep apart. */
  keyPrefix: string;
  idle: CartIdleTimes;
  clock?: Clock;
  /** Longest time `init()` waits for the first connection before returning anyway. Default 3,000 ms. */
  initWaitMs?: number;
  /** Extra ioredis options (tests); the fail-fast ones below win. */
  redisOptions?: RedisOptions;
}

/*
 * Why Lua and not WATCH/MULTI: WATCH belongs to a connection, and one ioredis connection serves
 * every request of the process, so two concurrent saves would share (and spoil) each other's
 * WATCH unless each took a connection of its own. A script runs atomically on the server, checks
 * the version and writes the cart, its TTL and the customer index in one round trip, and answers
 * the conflict as a value. The scripts touch the index key of the cart they read (built from
 * ARGV), so this adapter needs a non-cluster endpoint, like RedisCache.
 *
 * A cart is a hash: `body` (the cart as JSON, what `get` parses), and copies of `version`,
 * `owner` and `expiresAt` (ms) that the scripts compare without decoding JSON.
 */
const LIVE = `
local function live(key, now)
  local expires = redis.call('HGET', key, 'expiresAt')
  return expires ~= false and tonumber(expires) > now
end`;

/** KEYS: cart[, index]. ARGV: body, owner, expiresAtMs, ttlMs, cartId, nowMs, cart key prefix. */
const CREATE_SCRIPT = `${LIVE}
local now = tonumber(ARGV[6])
if live(KEYS[1], now) then return {'duplicate-cart-id'} end
if #KEYS == 2 then
  local held = redis.call('GET', KEYS[2])
  if held and held ~= ARGV[5] and live(ARGV[7] .. held, now) then
    return {'customer-has-cart', held}
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'body', ARGV[1], 'version', '1', 'owner', ARGV[2], 'expiresAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if #KEYS == 2 then redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[4]) end
return {'created'}`;

/** KEYS: cart[, index]. ARGV: body, expected version, owner, expiresAtMs, ttlMs, cartId, nowMs. */
const SAVE_SCRIPT = `${LIVE}
if not live(KEYS[1], tonumber(ARGV[7])) then return 'not-found' end
local stored = redis.call('HMGET', KEYS[1], 'version', 'owner')
if stored[1] ~= ARGV[2] then return 'conflict' end
if stored[2] ~= ARGV[3] then return 'owner-changed' end
redis.call('HSET', KEYS[1], 'body', ARGV[1], 'version', tostring(tonumber(ARGV[2]) + 1),
  'expiresAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if #KEYS == 2 then redis.call('SET', KEYS[2], ARGV[6], 'PX', ARGV[5]) end
return 'saved'`;

/** KEYS: cart. ARGV: index key prefix, cartId. Removes the index only if it still names this cart. */
const DELETE_SCRIPT = `
local owner = redis.call('HGET', KEYS[1], 'owner')
redis.call('DEL', KEYS[1])
if owner and string.sub(owner, 1, 9) == 'customer:' then
  local index = ARGV[1] .. string.sub(owner, 10)
  if redis.call('GET', index) == ARGV[2] then redis.call('DEL', index) end
end
return 1`;

type ScriptedRedis = Redis & {
  cartCreate(keyCount: number, ...keysAndArgs: string[]): Promise<string[]>;
  cartSave(keyCount: number, ...keysAndArgs: string[]): Promise<string>;
  cartDelete(cartKey: string, indexPrefix: string, cartId: string): Promise<number>;
};

/**
 * Carts on Redis (`CART_STORE=redis`): one hash per cart and one string per customer naming
 * their cart, both with a TTL of the owner's idle time, refreshed by every save. Expiry is also
 * checked on read against the clock, so a test clock and Redis's own TTL agree.
 */
export class RedisCartStore extends CartStore {
  private readonly redis: ScriptedRedis;
  private readonly clock: Clock;
  private readonly logger = new Logger(RedisCartStore.name);
  private closed = false;

  constructor(private readonly options: RedisCartStoreOptions) {
    super();
    this.clock = options.clock ?? Date.now;
    this.redis = new Redis(options.url, {
      ...options.redisOptions,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 16), 2_000),
    }) as ScriptedRedis;
    this.redis.defineCommand('cartCreate', { lua: CREATE_SCRIPT });
    this.redis.defineCommand('cartSave', { lua: SAVE_SCRIPT });
    this.redis.defineCommand('cartDelete', { numberOfKeys: 1, lua: DELETE_SCRIPT });
    this.redis.on('error', (error: Error) =>
      this.logger.error(`cart store cannot reach Redis: ${error.message}`),
    );
  }

  /** Connects; resolves when connected or after `initWaitMs`, reconnecting in the background. */
  async init(): Promise<void> {
    if (this.redis.status !== 'wait') return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.initWaitMs ?? 3_000);
    });
    const connected = this.redis.connect().catch(() => undefined);
    await Promise.race([connected, waited]).finally(() => clearTimeout(timer));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
      return;
    }
    this.redis.disconnect();
  }

  async get(cartId: string): Promise<Cart | undefined> {
    let body: string | null;
    try {
      body = await this.redis.hget(this.cartKey(cartId), 'body');
    } catch (error) {
      if (isWrongType(error))
        throw new CorruptCartError(cartId, 'not a cart hash', { cause: error });
      throw error;
    }
    if (body === null) return undefined;
    const cart = parseStoredCartJson(cartId, body);
    return isExpired(cart, this.clock()) ? undefined : cart;
  }

  async findByCustomer(customerId: string): Promise<Cart | undefined> {
    const cartId = await this.redis.get(this.indexKey(customerId));
    if (cartId === null) return undefined;
    const cart = await this.get(cartId);
    return cart?.owner.kind === 'customer' && cart.owner.customerId === customerId
      ? cart
      : undefined;
  }

  async create(draft: NewCart): Promise<CreateCartResult> {
    const now = this.clock();
    const cart = stampForCreate(draft, now, this.options.idle);
    const keys = this.keysOf(cart);
    const [outcome, heldBy] = await this.redis.cartCreate(
      keys.length,
      ...keys,
      JSON.stringify(cart),
      ownerKey(cart.owner),
      String(Date.parse(cart.expiresAt)),
      String(idleMsOf(cart.owner, this.options.idle)),
      cart.cartId,
      String(now),
      this.cartKey(''),
    );
    if (outcome === 'duplicate-cart-id') return { outcome };
    if (outcome === 'customer-has-cart') return { outcome, cartId: heldBy };
    return { outcome: 'created', cart };
  }

  async save(cart: Cart): Promise<SaveCartResult> {
    const now = this.clock();
    const next = stampForSave(cart, now, this.options.idle);
    const keys = this.keysOf(cart);
    const outcome = await this.redis.cartSave(
      keys.length,
      ...keys,
      JSON.stringify(next),
      String(cart.version),
      ownerKey(cart.owner),
      String(Date.parse(next.expiresAt)),
      String(idleMsOf(cart.owner, this.options.idle)),
      cart.cartId,
      String(now),
    );
    if (outcome === 'owner-changed') throw new CartOwnerChangeError(cart.cartId);
    if (outcome === 'saved') return { outcome, cart: next };
    return { outcome: outcome === 'conflict' ? 'conflict' : 'not-found', cartId: cart.cartId };
  }

  async delete(cartId: string): Promise<void> {
    await this.redis.cartDelete(this.cartKey(cartId), this.indexKey(''), cartId);
  }

  private keysOf(cart: Cart): string[] {
    const cartKey = this.cartKey(cart.cartId);
    return cart.owner.kind === 'customer'
      ? [cartKey, this.indexKey(cart.owner.customerId)]
      : [cartKey];
  }

  private cartKey(cartId: string): string {
    return `${this.options.keyPrefix}cart-store:cart:${cartId}`;
  }

  private indexKey(customerId: string): string {
    return `${this.options.keyPrefix}cart-store:customer:${customerId}`;
  }
}

function isWrongType(error: unknown): boolean {
  return error instanceof Error && /^WRONGTYPE/.test(error.message);
}
