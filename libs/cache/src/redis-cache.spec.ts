import { createServer, type Server, type Socket } from 'node:net';
import { silentCacheLogger } from './cache-support';
import { CacheUnavailableError } from './errors';
import { RedisCache } from './redis-cache';

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts TCP connections and never answers: a hung or partitioned Redis. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function timed<T>(
  work: () => Promise<T>,
): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const began = performance.now();
  const [result] = await Promise.allSettled([work()]);
  return { ms: performance.now() - began, result };
}

function rejection(result: PromiseSettledResult<unknown>): unknown {
  expect(result.status).toBe('rejected');
  return (result as PromiseRejectedResult).reason;
}

describe('RedisCache without a reachable Redis', () => {
  jest.setTimeout(15_000);
  /** Closes what a failed test left open, so no reconnection loop outlives it. */
  let afterTest: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await afterTest?.();
    afterTest = undefined;
  });

  it('comes up anyway: init resolves, health says what it cannot reach, calls reject within 1 s', async () => {
    const port = await closedPort();
    const cache = new RedisCache({ url: `redis://127.0.0.1:${port}`, logger: silentCacheLogger });

    afterTest = () => cache.close();
    const init = await timed(() => cache.init());
    expect(init.result.status).toBe('fulfilled');

    expect(await cache.health()).toEqual({
      up: false,
      detail: `cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    const calls: [string, () => Promise<unknown>][] = [
      ['get', () => cache.get('k')],
      ['getMany', () => cache.getMany(['a', 'b'])],
      ['set', () => cache.set('k', 'v', 10)],
      ['setMany', () => cache.setMany([{ key: 'k', value: 'v' }], 10)],
      ['setMany without TTL', () => cache.setMany([{ key: 'k', value: 'v' }])],
      ['delete', () => cache.delete('k')],
      ['increment', () => cache.increment('k', 1, 60)],
    ];
    for (const [name, call] of calls) {
      const { ms, result } = await timed(call);
      const error = rejection(result);
      expect({ name, error }).toEqual({ name, error: expect.any(CacheUnavailableError) });
      expect((error as Error).message).toContain(
        `cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED`,
      );
      expect(ms).toBeLessThan(1_000);
    }
    await cache.close();
    expect(await cache.health()).toMatchObject({
      up: false,
      detail: expect.stringContaining('closed'),
    });
  });

  it('bounds init and commands when Redis accepts connections but never answers', async () => {
    const hung = await silentServer();
    const cache = new RedisCache({
      url: `redis://127.0.0.1:${hung.port}`,
      logger: silentCacheLogger,
      initWaitMs: 500,
      commandTimeoutMs: 300,
    });
    try {
      const init = await timed(() => cache.init());
      expect(init.result.status).toBe('fulfilled');
      expect(init.ms).toBeLessThan(1_500);

      expect((await cache.health()).up).toBe(false);
      const get = await timed(() => cache.get('k'));
      expect(rejection(get.result)).toBeInstanceOf(CacheUnavailableError);
      expect(get.ms).toBeLessThan(1_000);
    } finally {
      await cache.close();
      await hung.close();
    }
  });

  it('never shows the password of the URL', async () => {
    const port = await closedPort();
    const cache = new RedisCache({
      url: `redis://mercato:s3cret@127.0.0.1:${port}/2`,
      logger: silentCacheLogger,
    });
    afterTest = () => cache.close();
    await cache.init();
    const { detail } = await cache.health();
    const error = rejection((await timed(() => cache.get('k'))).result) as Error;
    await cache.close();

    expect(detail).toContain(`redis://mercato:***@127.0.0.1:${port}/2`);
    expect(`${detail} ${error.message}`).not.toContain('s3cret');
  });

  it('logs an outage once, not once per reconnection attempt', async () => {
    const port = await closedPort();
    const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const cache = new RedisCache({
      url: `redis://127.0.0.1:${port}`,
      logger,
      maxReconnectDelayMs: 20,
    });
    afterTest = () => cache.close();
    await cache.init();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cache.close();

    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(`cannot reach Redis at redis://127.0.0.1:${port}`),
    );
  });
});
