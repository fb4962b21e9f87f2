import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer } from 'node:net';
import { CacheModule } from './cache.module';
import { createCache } from './create-cache';
import { KeyValueCache } from './key-value-cache';
import { MemoryCache } from './memory-cache';
import { RedisCache } from './redis-cache';

@Injectable()
class ProductReadModel {
  constructor(readonly cache: KeyValueCache) {}
}

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('CacheModule', () => {
  it('provides the configured cache under the port, initialised on init and closed on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CacheModule.forRoot({ MERCATO_CACHE: 'memory' })],
      providers: [ProductReadModel],
    }).compile();
    const app = await moduleRef.init();
    const { cache } = app.get(ProductReadModel);

    expect(cache).toBeInstanceOf(MemoryCache);
    await cache.set('product:1', '{}');
    expect(await cache.get('product:1')).toBe('{}');
    await app.close();
    expect((await cache.health()).up).toBe(false);
  });

  it('starts with MERCATO_CACHE=redis while Redis is away, and says so in health', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.forRoot({ MERCATO_CACHE: 'redis', REDIS_URL: `redis://127.0.0.1:${port}` }),
      ],
    })
      .setLogger(quiet)
      .compile();
    const app = await moduleRef.init();
    const cache = app.get(KeyValueCache);

    expect(cache).toBeInstanceOf(RedisCache);
    expect(await cache.health()).toEqual({
      up: false,
      detail: expect.stringContaining(`cannot reach Redis at redis://127.0.0.1:${port}`),
    });
    await app.close();
  });

  it('refuses an unknown MERCATO_CACHE instead of falling back', () => {
    expect(() => CacheModule.forRoot({ MERCATO_CACHE: 'memcached' })).toThrow(
      'Unknown MERCATO_CACHE "memcached": expected one of memory, redis',
    );
  });
});

describe('createCache', () => {
  it('builds the adapter the config names, not yet initialised', async () => {
    const memory = createCache({ MERCATO_CACHE: 'memory' });
    const redis = createCache({ MERCATO_CACHE: 'redis', REDIS_URL: 'redis://localhost:6379' });

    expect(memory).toBeInstanceOf(MemoryCache);
    expect(redis).toBeInstanceOf(RedisCache);
    expect(await memory.health()).toMatchObject({ up: false });
    await redis.close();
  });

  it('needs REDIS_URL for Redis', () => {
    expect(() => createCache({ MERCATO_CACHE: 'redis' })).toThrow(/REDIS_URL/);
  });
});
