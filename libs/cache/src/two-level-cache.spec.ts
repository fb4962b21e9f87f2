import { cacheContract } from '@mercato/testing';
import { register } from 'prom-client';
import { CACHE_REQUESTS_METRIC } from './cache-metrics';
import { CacheUnavailableError } from './errors';
import { KeyValueCache } from './key-value-cache';
import { MemoryCache } from './memory-cache';
import { TwoLevelCache } from './two-level-cache';

/** Counter values by `layer:outcome`. */
async function requests(): Promise<Record<string, number>> {
  const metric = register.getSingleMetric(CACHE_REQUESTS_METRIC);
  const counts: Record<string, number> = {};
  for (const { labels, value } of (await metric?.get())?.values ?? []) {
    counts[`${labels.layer}:${labels.outcome}`] = value;
  }
  return counts;
}

async function requestsDuring(work: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await requests();
  await work();
  const after = await requests();
  return Object.fromEntries(
    Object.entries(after)
      .map(([key, value]) => [key, value - (before[key] ?? 0)] as const)
      .filter(([, delta]) => delta !== 0),
  );
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('TwoLevelCache', () => {
  let now: number;
  let shared: MemoryCache;
  let cache: TwoLevelCache;

  cacheContract(
    'two-level over memory',
    async () => {
      now = 1_000_000;
      return new TwoLevelCache(new MemoryCache({ clock: () => now }), { clock: () => now });
    },
    { advanceClock: (ms) => (now += ms) },
  );

  beforeEach(async () => {
    now = 1_000_000;
    shared = new MemoryCache({ clock: () => now });
    cache = new TwoLevelCache(shared, { ttlSeconds: 5, clock: () => now });
    await cache.init();
  });

  afterEach(async () => {
    await cache.close();
  });

  it('serves repeated reads from the local layer and counts each layer’s hits and misses', async () => {
    await shared.set('product:1', '{"id":1}');
    const sharedGet = jest.spyOn(shared, 'get');

    const counted = await requestsDuring(async () => {
      expect(await cache.get('product:1')).toBe('{"id":1}');
      expect(await cache.get('product:1')).toBe('{"id":1}');
      expect(await cache.get('product:1')).toBe('{"id":1}');
      expect(await cache.get('product:missing')).toBeUndefined();
    });

    expect(sharedGet).toHaveBeenCalledTimes(2);
    expect(counted).toEqual({ 'local:hit': 2, 'local:miss': 2, 'shared:hit': 1, 'shared:miss': 1 });
  });

  it('answers getMany from local copies and one shared getMany for the rest, in order', async () => {
    await shared.setMany(['a', 'b', 'c'].map((key) => ({ key, value: key.toUpperCase() })));
    await cache.get('b');
    const sharedGetMany = jest.spyOn(shared, 'getMany');

    let values: (string | undefined)[] = [];
    const counted = await requestsDuring(async () => {
      values = await cache.getMany(['a', 'b', 'x', 'c']);
    });

    expect(values).toEqual(['A', 'B', undefined, 'C']);
    expect(sharedGetMany).toHaveBeenCalledTimes(1);
    expect(sharedGetMany).toHaveBeenCalledWith(['a', 'x', 'c']);
    expect(counted).toEqual({ 'local:hit': 1, 'local:miss': 3, 'shared:hit': 2, 'shared:miss': 1 });
    expect(await requestsDuring(() => cache.getMany(['a', 'b', 'c']))).toEqual({ 'local:hit': 3 });
  });

  it('sees another process’s change after the local TTL, or at once after invalidate', async () => {
    const otherProcess = new TwoLevelCache(shared, { ttlSeconds: 5, clock: () => now });
    await cache.set('product:1', 'v1');
    expect(await cache.get('product:1')).toBe('v1');

    await otherProcess.set('product:1', 'v2');
    now += 4_000;
    expect(await cache.get('product:1')).toBe('v1');
    now += 1_001;
    expect(await cache.get('product:1')).toBe('v2');

    await otherProcess.set('product:1', 'v3');
    cache.invalidate(['product:1']);
    expect(await cache.get('product:1')).toBe('v3');
  });

  it('peeks a local copy past its TTL once more while one refresh brings the shared value', async () => {
    const otherProcess = new TwoLevelCache(shared, { ttlSeconds: 5, clock: () => now });
    await cache.set('product:1', 'v1');
    await otherProcess.set('product:1', 'v2');
    now += 5_001;
    const reads = jest.spyOn(shared, 'get');
    expect(cache.peekLocal('product:1')).toBe('v1'); // stale, answered while refreshing
    expect(cache.peekLocal('product:1')).toBe('v1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toHaveBeenCalledTimes(1); // one refresh, however many peeks
    expect(cache.peekLocal('product:1')).toBe('v2');
    reads.mockRestore();
  });

  it('drops a stale local copy when the refresh finds the shared entry gone', async () => {
    await cache.set('product:2', 'v1');
    await shared.delete('product:2');
    now += 5_001;
    expect(cache.peekLocal('product:2')).toBe('v1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.peekLocal('product:2')).toBeUndefined();
  });

  it('replaces its own local copy on set and drops it on delete', async () => {
    await cache.set('k', 'one');
    await cache.set('k', 'two');
    expect(await requestsDuring(async () => expect(await cache.get('k')).toBe('two'))).toEqual({
      'local:hit': 1,
    });
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
    expect(await shared.get('k')).toBeUndefined();
  });

  it('shares one shared lookup among concurrent reads of a missing key', async () => {
    await shared.set('hot', 'value');
    const sharedGet = jest.spyOn(shared, 'get');

    const values = await Promise.all(Array.from({ length: 50 }, () => cache.get('hot')));

    expect(values).toEqual(Array.from({ length: 50 }, () => 'value'));
    expect(sharedGet).toHaveBeenCalledTimes(1);
  });

  it('does not keep a value read before an invalidation that arrived during the read', async () => {
    const slow = new MemoryCache();
    await slow.init();
    await slow.set('k', 'old');
    const release = deferred<void>();
    const realGet = slow.get.bind(slow);
    jest.spyOn(slow, 'get').mockImplementationOnce(async (key) => {
      const value = await realGet(key);
      await release.promise;
      return value;
    });
    const twoLevel = new TwoLevelCache(slow);

    const reading = twoLevel.get('k');
    await slow.set('k', 'new');
    twoLevel.invalidate(['k']);
    release.resolve();

    expect(await reading).toBe('old');
    expect(await twoLevel.get('k')).toBe('new');
    await twoLevel.close();
  });

  it('never caches counters locally', async () => {
    await cache.increment('rate:1');
    await shared.increment('rate:1', 10);
    expect(await cache.get('rate:1')).toBe('11');
    await cache.increment('rate:1');
    expect(await cache.get('rate:1')).toBe('12');
  });

  it('keeps serving local hits while the shared cache is down; misses reject as the shared cache does', async () => {
    const down = new (class extends MemoryCache {
      override get(): Promise<string | undefined> {
        return Promise.reject(new CacheUnavailableError('cannot reach Redis at redis://x: gone'));
      }
    })();
    const twoLevel = new TwoLevelCache(down);
    await down.init();
    await down.set('cached', 'yes');
    await twoLevel.getMany(['cached']);
    await expect(twoLevel.get('cached')).resolves.toBe('yes');
    await expect(twoLevel.get('other')).rejects.toBeInstanceOf(CacheUnavailableError);
    await twoLevel.close();
  });

  it('reports the shared cache’s health', async () => {
    expect(await cache.health()).toEqual({
      up: true,
      detail: expect.stringMatching(/^in-process cache, \d+ entries \(\+ local LRU, 0 entries\)$/),
    });
    const closed = new TwoLevelCache(new MemoryCache());
    expect((await closed.health()).up).toBe(false);
  });

  it('registers its metric once however many instances a process makes', () => {
    expect(() => new TwoLevelCache(new MemoryCache())).not.toThrow();
    expect(register.getSingleMetric(CACHE_REQUESTS_METRIC)).toBeDefined();
  });
});

// The port is what callers hold; the decorator is one.
const _typeCheck: KeyValueCache = new TwoLevelCache(new MemoryCache());
void _typeCheck;
