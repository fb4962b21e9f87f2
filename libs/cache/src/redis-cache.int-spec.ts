import { cacheContract, describeWithEngines } from '@mercato/testing';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { silentCacheLogger } from './cache-support';
import { CacheUnavailableError } from './errors';
import { RedisCache } from './redis-cache';
import { TwoLevelCache } from './two-level-cache';

/**
 * The shared KeyValueCache contract on a real Redis, plus what only Redis has: a server that goes
 * away and comes back. REDIS_URL comes from the integration project's global setup (the engine
 * harness in scripts/infra; `bash scripts/infra/engines.sh start redis`). Outside CI a missing
 * Redis skips this file loudly; with CI=true it fails.
 */
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<number> {
  const began = Date.now();
  while (!(await check())) {
    if (Date.now() - began > timeoutMs)
      throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(20);
  }
  return Date.now() - began;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describeWithEngines('RedisCache on a real Redis', ['REDIS_URL'], ({ REDIS_URL: url }) => {
  jest.setTimeout(30_000);
  const makeCache = async () => new RedisCache({ url, logger: silentCacheLogger });

  beforeAll(async () => {
    const probe = await makeCache();
    await probe.init();
    const health = await probe.health();
    await probe.close();
    if (!health.up) {
      throw new Error(
        `${health.detail}; start it with \`bash scripts/infra/engines.sh start redis\``,
      );
    }
  });

  afterAll(async () => {
    // Keys the contract wrote without a TTL; the harness's Redis is shared by every suite.
    const admin = new Redis(url, { lazyConnect: true });
    await admin.connect();
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', 'contract:*', 'COUNT', 1000);
      if (keys.length > 0) await admin.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.quit();
  });

  cacheContract('redis', makeCache);
  // What the gateway's read model sits on. A copy read through the decorator may outlive the
  // shared entry's TTL by up to the local TTL (documented on TwoLevelCache), so the local TTL here
  // stays within the contract's expiry tolerance.
  cacheContract(
    'two-level over redis',
    async () => new TwoLevelCache(await makeCache(), { ttlSeconds: 0.5 }),
  );

  it('reads 100 pre-serialised read models with one getMany round trip', async () => {
    const cache = await makeCache();
    await cache.init();
    try {
      const product = JSON.stringify({ id: 'p', title: 'x'.repeat(2_000) }); // ~2.1 KB, as measured
      const keys = Array.from({ length: 100 }, (_, i) => `contract:bench:${process.pid}:${i}`);
      await cache.setMany(
        keys.map((key) => ({ key, value: product })),
        60,
      );
      const times = (n: number, work: () => Promise<unknown>) => async () => {
        const samples: number[] = [];
        for (let i = 0; i < n; i++) {
          const began = process.hrtime.bigint();
          await work();
          samples.push(Number(process.hrtime.bigint() - began) / 1e6);
        }
        return samples.sort((a, b) => a - b);
      };
      await times(50, () => cache.getMany(keys))(); // warm-up
      const many = await times(300, () => cache.getMany(keys))();
      const one = await times(1_000, () => cache.get(keys[0]))();
      const values = await cache.getMany(keys);

      console.log(
        `RedisCache on ${url}: getMany(100 × ${product.length} B) p50 ${percentile(many, 50).toFixed(2)} ms, ` +
          `p99 ${percentile(many, 99).toFixed(2)} ms; get p50 ${(percentile(one, 50) * 1000).toFixed(0)} µs, ` +
          `p99 ${(percentile(one, 99) * 1000).toFixed(0)} µs`,
      );
      expect(values.every((value) => value === product)).toBe(true);
      expect(percentile(many, 50)).toBeLessThan(50);
    } finally {
      await cache.close();
    }
  });

  it('keeps stores apart by key prefix, deleteByPrefix included', async () => {
    const run = Math.random().toString(36).slice(2, 8);
    const blue = new RedisCache({
      url,
      keyPrefix: `contract:${run}:blue:`,
      logger: silentCacheLogger,
    });
    const green = new RedisCache({
      url,
      keyPrefix: `contract:${run}:green:`,
      logger: silentCacheLogger,
    });
    await blue.init();
    await green.init();
    try {
      await blue.setMany([
        { key: 'product:1', value: 'blue-1' },
        { key: 'product:2', value: 'blue-2' },
      ]);
      await green.set('product:1', 'green-1');
      expect(await green.getMany(['product:1', 'product:2'])).toEqual(['green-1', undefined]);
      expect(await blue.deleteByPrefix('product:')).toBe(2);
      expect(await green.get('product:1')).toBe('green-1');
      expect(await blue.get('product:1')).toBeUndefined();
    } finally {
      await green.deleteByPrefix('product:');
      await blue.close();
      await green.close();
    }
  });

  // A private redis-server, so stopping it disturbs no other suite using the harness's Redis.
  const haveRedisServer = spawnSync('redis-server', ['--version']).status === 0;
  (haveRedisServer ? describe : describe.skip)('when Redis goes away and comes back', () => {
    let server: ChildProcess | undefined;
    let port: number;

    const startServer = async (): Promise<void> => {
      server = spawn(
        'redis-server',
        ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => undefined);
      await until(
        'redis-server start',
        () =>
          probe.connect().then(
            () => true,
            () => false,
          ),
        10_000,
      );
      probe.disconnect();
    };
    const stopServer = async (): Promise<void> => {
      const running = server;
      server = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    };

    beforeAll(async () => {
      port = await freePort();
      await startServer();
    });

    afterAll(stopServer);

    it('fails fast while it is down and serves again, unaided, once it is back', async () => {
      const cache = new RedisCache({
        url: `redis://127.0.0.1:${port}`,
        logger: silentCacheLogger,
        maxReconnectDelayMs: 500,
      });
      await cache.init();
      try {
        await cache.set('k', 'before');
        expect(await cache.health()).toMatchObject({ up: true });

        await stopServer();
        await until('health down', async () => !(await cache.health()).up, 5_000);
        const began = Date.now();
        await expect(cache.get('k')).rejects.toBeInstanceOf(CacheUnavailableError);
        expect(Date.now() - began).toBeLessThan(1_000);
        expect(await cache.health()).toEqual({
          up: false,
          detail: expect.stringMatching(
            new RegExp(`^cannot reach Redis at redis://127\\.0\\.0\\.1:${port}: .+`),
          ),
        });

        await startServer();
        const recoveredMs = await until(
          'health up again',
          async () => (await cache.health()).up,
          10_000,
        );
        await cache.set('k', 'after');
        expect(await cache.get('k')).toBe('after');
        console.log(`RedisCache: served again ${recoveredMs} ms after redis-server was back`);
      } finally {
        await cache.close();
      }
    });
  });
  if (!haveRedisServer) {
    console.warn(
      '\n*** SKIPPED: the Redis restart case needs the redis-server binary on PATH. ***\n',
    );
  }
});
