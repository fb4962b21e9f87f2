import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithEngines } from '@mercato/testing';
import { engineStatuses, startEngines, stopEngines } from '../../scripts/infra/engines';
import { startStack, type RunningStack } from '../../scripts/stack/stack';
import { isolatedStackEnv, removeStackData } from '../../scripts/stack/stack-data';

/**
 * Redis goes away mid-run and comes back: the gateway keeps answering product detail from the
 * services (degraded, slower, never an error), reports the cache down in readiness, and serves
 * from the read model again once Redis is back. The test stops and restarts the harness's Redis.
 */
describeWithEngines(
  'Redis outage on the stack',
  ['KAFKA_BROKERS', 'DYNAMODB_ENDPOINT', 'REDIS_URL'],
  (endpoints) => {
    jest.setTimeout(240_000);
    let stack: RunningStack;
    let dataDir: string;
    let prefix = '';

    beforeAll(async () => {
      const [redis] = await engineStatuses(['redis']);
      if (redis.endpoint.REDIS_URL !== endpoints.REDIS_URL || redis.state !== 'running') {
        throw new Error(
          `REDIS_URL=${endpoints.REDIS_URL} is not the harness's Redis; this test must stop and start it`,
        );
      }
      dataDir = mkdtempSync(join(tmpdir(), 'mercato-redis-outage-'));
      prefix = `redis${randomBytes(3).toString('hex')}-`;
      stack = await startStack({
        endpoints,
        portOffset: 2500,
        logDir: join(dataDir, 'logs'),
        env: {
          ...isolatedStackEnv(prefix),
          MERCATO_SEED_PRODUCTS: '100',
          MERCATO_DATA_DIR: dataDir,
          MERCATO_STORAGE: 'memory',
          MERCATO_CACHE: 'redis',
        },
      });
    });

    afterAll(async () => {
      await startEngines(['redis']); // whatever happened, leave Redis running for the next suites
      await stack?.stop();
      if (prefix) await removeStackData(endpoints, prefix);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    const detail = async (productId: string) => {
      const started = performance.now();
      const response = await fetch(`${stack.gatewayUrl}/v1/products/${productId}`);
      return {
        status: response.status,
        ms: performance.now() - started,
        body: (await response.json()) as { productId: string },
      };
    };
    const cacheHealth = async () => {
      const ready = (await (await fetch(`${stack.gatewayUrl}/health/ready`)).json()) as {
        details: { cache: { status: string; detail: string } };
      };
      return ready.details.cache;
    };

    it('degrades to the service path while Redis is down and recovers when it returns', async () => {
      const { items } = (await (
        await fetch(`${stack.gatewayUrl}/v1/products?limit=20`)
      ).json()) as {
        items: { productId: string }[];
      };
      const ids = items.map((item) => item.productId);
      for (const id of ids) expect((await detail(id)).status).toBe(200);

      await stopEngines(['redis']);
      expect((await cacheHealth()).status).toBe('down');
      // After the local TTL (1 s) the first read of a product may still answer its local copy
      // while the background refresh fails and drops it; from then on reads go to the shared
      // cache, fail fast and fall back to the services. Two passes.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      for (let pass = 0; pass < 2; pass++) {
        for (const id of ids) {
          const { status, ms, body } = await detail(id);
          expect(status).toBe(200);
          expect(body.productId).toBe(id);
          expect(ms).toBeLessThan(5_000); // the bus timeout: no read waits on the dead cache
        }
      }

      await startEngines(['redis']);
      const deadline = Date.now() + 60_000;
      while ((await cacheHealth()).status !== 'up' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect((await cacheHealth()).status).toBe('up');
      // Reads refill Redis; once local copies expire (1 s) they are served from Redis again. The
      // client may still be reconnecting for a moment after readiness turns up: a few rounds.
      const sharedHits = async () =>
        Number(
          /mercato_cache_requests_total\{layer="shared",outcome="hit"\} (\d+)/.exec(
            await (await fetch(`${stack.gatewayUrl}/metrics`)).text(),
          )?.[1] ?? 0,
        );
      const hitsBefore = await sharedHits();
      for (let round = 0; round < 5 && (await sharedHits()) === hitsBefore; round++) {
        for (const id of ids) expect((await detail(id)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        for (const id of ids) expect((await detail(id)).status).toBe(200);
      }
      expect(await sharedHits()).toBeGreaterThan(hitsBefore);
      const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
      expect(metrics).toMatch(
        /mercato_read_model_degraded_total\{read_model="product-detail"\} [1-9]/,
      );
    });
  },
);
