import { cacheContract } from '@mercato/testing';
import { MemoryCache } from './memory-cache';

describe('MemoryCache', () => {
  let now = 0;
  cacheContract(
    'memory',
    async () => {
      now = 1_000_000;
      return new MemoryCache({ clock: () => now });
    },
    { advanceClock: (ms) => (now += ms) },
  );

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    await cache.init();
    await cache.setMany(['a', 'b', 'c'].map((key) => ({ key, value: key })));
    await cache.get('a');
    await cache.set('d', 'd');

    expect(await cache.getMany(['a', 'b', 'c', 'd'])).toEqual(['a', undefined, 'c', 'd']);
  });

  it('evicts by approximate size beyond maxBytes, and does not keep a value larger than the bound', async () => {
    const cache = new MemoryCache({ maxBytes: 10_000 });
    await cache.init();
    await cache.set('small-1', 'x'.repeat(2_000));
    await cache.set('small-2', 'x'.repeat(2_000));
    await cache.set('small-3', 'x'.repeat(2_000));
    await cache.set('huge', 'x'.repeat(20_000));

    expect((await cache.getMany(['small-1', 'small-2', 'small-3'])).filter(Boolean)).toHaveLength(
      2,
    );
    expect(await cache.get('huge')).toBeUndefined();
  });

  it('refuses calls before init, saying why', async () => {
    const cache = new MemoryCache();
    await expect(cache.get('a')).rejects.toThrow(
      'in-process cache not initialised (call init() first)',
    );
    expect(await cache.health()).toEqual({
      up: false,
      detail: expect.stringContaining('not initialised'),
    });
  });
});
