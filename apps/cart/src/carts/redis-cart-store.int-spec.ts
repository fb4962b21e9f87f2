import { cartStoreContract, describeWithEngines } from '@mercato/testing';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DAY_MS } from './cart.model';
import { RedisCartStore } from './redis-cart-store';

/**
 * The CartStore contract on a real Redis (the engine harness runs it with append-only
 * persistence), plus what only Redis does: its own TTL removes an idle cart's keys. REDIS_URL
 * comes from the integration project's global setup; outside CI a missing Redis skips this file
 * loudly, with CI=true it fails.
 */
describeWithEngines('RedisCartStore on a real Redis', ['REDIS_URL'], ({ REDIS_URL: url }) => {
  jest.setTimeout(30_000);
  const idle = { guestMs: 7 * DAY_MS, customerMs: 30 * DAY_MS };
  let admin: Redis;
  let now = 0;

  beforeAll(async () => {
    admin = new Redis(url, { lazyConnect: true });
    await admin.connect();
  });

  afterAll(async () => {
    // The contract's carts live for days of Redis TTL; the harness's Redis is shared by every suite.
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', 'contract-*', 'COUNT', 1000);
      if (keys.length > 0) await admin.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.quit();
  });

  cartStoreContract(
    'redis',
    async (namespace) => {
      // Real time: Redis's TTL runs on it, and the store's reads compare with this clock.
      now = Date.now();
      return {
        store: new RedisCartStore({ url, keyPrefix: namespace, idle, clock: () => now }),
        corrupt: async (cartId) => {
          await admin.hset(`${namespace}cart-store:cart:${cartId}`, 'body', '{"cartId": 42');
        },
      };
    },
    { idle, advanceClock: (ms) => (now += ms) },
  );

  it("lets Redis's TTL remove an idle guest cart's key after the guest idle time", async () => {
    const keyPrefix = `contract-${randomBytes(4).toString('hex')}-`;
    const store = new RedisCartStore({
      url,
      keyPrefix,
      idle: { guestMs: 300, customerMs: 60_000 },
    });
    await store.init();
    try {
      const cartId = `ttl-${randomBytes(4).toString('hex')}`;
      await store.create({ cartId, owner: { kind: 'guest' }, region: 'EU' });
      const key = `${keyPrefix}cart-store:cart:${cartId}`;
      const ttl = await admin.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300);

      const deadline = Date.now() + 2_300;
      while ((await admin.exists(key)) === 1) {
        if (Date.now() > deadline) throw new Error(`${key} outlived its TTL`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await store.close();
    }
  });
});
