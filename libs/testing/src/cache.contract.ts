import { CacheUnavailableError, CacheValueError, KeyValueCache } from '@mercato/cache';
import { randomBytes } from 'node:crypto';

export interface CacheContractOptions {
  /**
   * Moves the clock the cache was built with forward (an injectable clock, e.g. MemoryCache's
   * `clock`). Without it the TTL cases wait for real time, polling, at most a few seconds.
   */
  advanceClock?: (ms: number) => void;
}

/** Text that trips up encodings: astral emoji, combining marks, RTL, CJK, controls, JSON. */
const AWKWARD =
  'Grüße 👩🏽‍💻 café\u0301 שלום 日本語 \u0000\t\r\n "quoted" \\ {"json":[1,2.5,null]} \uFFFD';

/** ~100 KB of mixed one- to four-byte UTF-8 text, different per call. */
function bigValue(): string {
  const unit = `${randomBytes(8).toString('hex')} ${AWKWARD} `;
  return unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);
}

/**
 * The behaviour every KeyValueCache adapter keeps (see the port's class comment). `makeCache`
 * returns a new cache, not yet initialised; the suite initialises and closes it. Every test uses
 * keys under its own random prefix, so a shared Redis carries nothing from one test to the next.
 */
export function cacheContract(
  name: string,
  makeCache: () => Promise<KeyValueCache>,
  options: CacheContractOptions = {},
): void {
  describe(`KeyValueCache contract: ${name}`, () => {
    let cache: KeyValueCache;
    let prefix: string;
    const k = (key: string): string => `${prefix}${key}`;

    /** Waits until `gone()` holds: the clock is moved when it can be, else real time is polled. */
    async function expire(ttlMs: number, gone: () => Promise<boolean>): Promise<void> {
      if (options.advanceClock) {
        options.advanceClock(ttlMs + 1);
        expect(await gone()).toBe(true);
        return;
      }
      const deadline = Date.now() + ttlMs + 2_000;
      while (!(await gone())) {
        if (Date.now() > deadline)
          throw new Error(`entries did not expire within ${ttlMs + 2_000} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }

    beforeEach(async () => {
      cache = await makeCache();
      await cache.init();
      prefix = `contract:${randomBytes(6).toString('hex')}:`;
    });

    afterEach(async () => {
      await cache.close();
    });

    describe('get, set and delete', () => {
      it('reads a key never written as undefined', async () => {
        expect(await cache.get(k('nothing'))).toBeUndefined();
      });

      it('returns what was set, and the latest value after an overwrite', async () => {
        await cache.set(k('a'), 'first');
        expect(await cache.get(k('a'))).toBe('first');
        await cache.set(k('a'), 'second');
        expect(await cache.get(k('a'))).toBe('second');
      });

      it('deletes several keys at once and ignores missing ones', async () => {
        await cache.setMany([
          { key: k('a'), value: '1' },
          { key: k('b'), value: '2' },
          { key: k('c'), value: '3' },
        ]);
        await cache.delete(k('a'), k('c'), k('never-set'));
        await cache.delete();
        expect(await cache.getMany([k('a'), k('b'), k('c')])).toEqual([undefined, '2', undefined]);
      });

      it('deletes every key with a prefix, taken literally, and nothing else', async () => {
        const keys = ['rm:1', 'rm:2', 'rm:*', 'rm[x]', 'keep:1', 'r', 'Rm:1'];
        await cache.setMany(keys.map((key) => ({ key: k(key), value: key })));
        const extra = Array.from({ length: 1500 }, (_, i) => ({
          key: k(`rm:bulk:${i}`),
          value: '',
        }));
        await cache.setMany(extra);
        expect(await cache.deleteByPrefix(k('rm:*'))).toBe(1); // the key 'rm:*' only
        expect(await cache.get(k('rm:1'))).toBe('rm:1');
        expect(await cache.deleteByPrefix(k('rm'))).toBe(3 + extra.length);
        expect(await cache.getMany(keys.map(k))).toEqual([
          undefined,
          undefined,
          undefined,
          undefined,
          'keep:1',
          'r',
          'Rm:1',
        ]);
        await expect(cache.deleteByPrefix('')).rejects.toThrow(RangeError);
      });

      it('keeps keys apart that differ only by case, spaces or punctuation', async () => {
        const keys = ['product:1:us', 'Product:1:us', 'product:1:us ', 'product 1 us', 'prodüct:1'];
        await cache.setMany(keys.map((key, i) => ({ key: k(key), value: String(i) })));
        expect(await cache.getMany(keys.map(k))).toEqual(['0', '1', '2', '3', '4']);
      });
    });

    describe('getMany and setMany', () => {
      it('answers in the order asked, undefined for each missing key, repeats included', async () => {
        await cache.set(k('b'), 'B');
        await cache.set(k('d'), 'D');
        expect(await cache.getMany([k('a'), k('b'), k('c'), k('d'), k('b'), k('e')])).toEqual([
          undefined,
          'B',
          undefined,
          'D',
          'B',
          undefined,
        ]);
      });

      it('answers an empty list with an empty list', async () => {
        expect(await cache.getMany([])).toEqual([]);
        await expect(cache.setMany([])).resolves.toBeUndefined();
      });

      it('writes every entry of setMany, replacing earlier values', async () => {
        await cache.set(k('2'), 'old');
        const entries = Array.from({ length: 250 }, (_, i) => ({
          key: k(String(i)),
          value: `v${i}`,
        }));
        await cache.setMany(entries);
        expect(await cache.getMany(entries.map((e) => e.key))).toEqual(entries.map((e) => e.value));
      });
    });

    describe('time to live', () => {
      it('expires entries after their TTL; entries without one, or rewritten without one, stay', async () => {
        await cache.set(k('short'), 'x', 1);
        await cache.setMany(
          [
            { key: k('many-1'), value: '1' },
            { key: k('many-2'), value: '2' },
          ],
          1,
        );
        await cache.set(k('rewritten'), 'old', 1);
        await cache.set(k('rewritten'), 'new');
        await cache.set(k('forever'), 'y');
        const expiring = [k('short'), k('many-1'), k('many-2')];
        expect(await cache.getMany(expiring)).toEqual(['x', '1', '2']);

        await expire(1_000, async () =>
          (await cache.getMany(expiring)).every((value) => value === undefined),
        );

        expect(await cache.get(k('rewritten'))).toBe('new');
        expect(await cache.get(k('forever'))).toBe('y');
      });

      it('keeps an entry until its TTL is reached', async () => {
        await cache.set(k('a'), 'x', 30);
        options.advanceClock?.(29_000);
        expect(await cache.get(k('a'))).toBe('x');
      });

      it('refuses a TTL that is not a positive number of seconds', async () => {
        await expect(cache.set(k('a'), 'x', 0)).rejects.toThrow(RangeError);
        await expect(cache.setMany([{ key: k('a'), value: 'x' }], -1)).rejects.toThrow(RangeError);
        await expect(cache.increment(k('a'), 1, Number.NaN)).rejects.toThrow(RangeError);
        expect(await cache.get(k('a'))).toBeUndefined();
      });
    });

    describe('increment', () => {
      it('starts a missing key from 0, returns the new value and stores it as a decimal string', async () => {
        expect(await cache.increment(k('n'))).toBe(1);
        expect(await cache.increment(k('n'), 41)).toBe(42);
        expect(await cache.increment(k('n'), -50)).toBe(-8);
        expect(await cache.get(k('n'))).toBe('-8');
        await cache.set(k('m'), '10');
        expect(await cache.increment(k('m'), 5)).toBe(15);
      });

      it('is atomic: 200 concurrent increments give 200 distinct results and a total of 200', async () => {
        const results = await Promise.all(
          Array.from({ length: 200 }, () => cache.increment(k('hits'), 1, 60)),
        );
        expect(new Set(results).size).toBe(200);
        expect(Math.max(...results)).toBe(200);
        expect(await cache.get(k('hits'))).toBe('200');
      });

      it('applies the TTL only when it creates the key (a fixed window)', async () => {
        expect(await cache.increment(k('window'), 1, 1)).toBe(1);
        expect(await cache.increment(k('window'), 1, 3_600)).toBe(2);
        expect(await cache.increment(k('no-ttl'), 1)).toBe(1);
        expect(await cache.increment(k('no-ttl'), 1, 1)).toBe(2);

        await expire(1_000, async () => (await cache.get(k('window'))) === undefined);

        expect(await cache.get(k('no-ttl'))).toBe('2');
        expect(await cache.increment(k('window'), 1, 1)).toBe(1);
      });

      it('refuses to increment a value that is not an integer, leaving it as it was', async () => {
        await cache.set(k('text'), 'twelve');
        await cache.set(k('decimal'), '1.5');
        await expect(cache.increment(k('text'))).rejects.toBeInstanceOf(CacheValueError);
        await expect(cache.increment(k('decimal'))).rejects.toBeInstanceOf(CacheValueError);
        await expect(cache.increment(k('x'), 0.5)).rejects.toThrow(RangeError);
        expect(await cache.getMany([k('text'), k('decimal')])).toEqual(['twelve', '1.5']);
      });
    });

    describe('values', () => {
      it('returns values exactly as stored: empty, Unicode, control characters', async () => {
        await cache.set(k('empty'), '');
        await cache.set(k('awkward'), AWKWARD);
        await cache.setMany([{ key: k('awkward-many'), value: AWKWARD }]);
        expect(await cache.get(k('empty'))).toBe('');
        expect(await cache.get(k('awkward'))).toBe(AWKWARD);
        expect(await cache.getMany([k('empty'), k('awkward-many')])).toEqual(['', AWKWARD]);
      });

      it('returns 100 KB values exactly, alone and in getMany', async () => {
        const one = bigValue();
        const two = bigValue();
        await cache.set(k('big-1'), one);
        await cache.setMany([{ key: k('big-2'), value: two }], 60);
        expect(await cache.get(k('big-1'))).toBe(one);
        const [first, second] = await cache.getMany([k('big-1'), k('big-2')]);
        expect(first === one && second === two).toBe(true);
      });
    });

    describe('health and lifecycle', () => {
      it('reports up once initialised', async () => {
        const health = await cache.health();
        expect(health.up).toBe(true);
        expect(health.detail).toEqual(expect.any(String));
      });

      it('after close, reports down and rejects calls with CacheUnavailableError', async () => {
        const other = await makeCache();
        await other.init();
        await other.set(k('a'), 'x');
        await other.close();
        await other.close();
        expect((await other.health()).up).toBe(false);
        await expect(other.get(k('a'))).rejects.toBeInstanceOf(CacheUnavailableError);
        await expect(other.set(k('a'), 'y')).rejects.toBeInstanceOf(CacheUnavailableError);
      });
    });
  });
}
