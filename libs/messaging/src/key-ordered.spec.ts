import { handleInKeyOrder } from './key-ordered';

interface Rec {
  key: string | null;
  n: number;
}

const rec = (key: string | null, n: number): Rec => ({ key, n });
const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

describe('handleInKeyOrder', () => {
  it('handles the records of one key one at a time, in order', async () => {
    const records = [rec('a', 1), rec('b', 1), rec('a', 2), rec('a', 3), rec('b', 2)];
    const seen: string[] = [];
    const running = new Set<string>();
    const outcome = await handleInKeyOrder(
      records,
      (r) => r.key,
      async (r) => {
        expect(running.has(r.key!)).toBe(false);
        running.add(r.key!);
        await tick();
        seen.push(`${r.key}${r.n}`);
        running.delete(r.key!);
        return true;
      },
      8,
    );
    expect(outcome).toEqual({ completed: 5 });
    expect(seen.filter((s) => s.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(seen.filter((s) => s.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it('does not make other keys wait for a slow one', async () => {
    const finished: string[] = [];
    await handleInKeyOrder(
      [rec('slow', 1), rec('fast', 1), rec('fast', 2)],
      (r) => r.key,
      async (r) => {
        await tick(r.key === 'slow' ? 50 : 1);
        finished.push(`${r.key}${r.n}`);
        return true;
      },
      4,
    );
    expect(finished).toEqual(['fast1', 'fast2', 'slow1']);
  });

  it('runs at most `concurrency` keys at once', async () => {
    let running = 0;
    let most = 0;
    const records = Array.from({ length: 40 }, (_, i) => rec(`k${i}`, i));
    await handleInKeyOrder(
      records,
      (r) => r.key,
      async () => {
        most = Math.max(most, ++running);
        await tick();
        running--;
        return true;
      },
      5,
    );
    expect(most).toBe(5);
  });

  it('stops a key where its handler says stop, and reports only the gapless prefix as done', async () => {
    const handled: string[] = [];
    const outcome = await handleInKeyOrder(
      [rec('a', 1), rec('b', 1), rec('a', 2), rec('c', 1)],
      (r) => r.key,
      async (r) => {
        if (r.key === 'b') return false;
        handled.push(`${r.key}${r.n}`);
        return true;
      },
      4,
    );
    expect(outcome).toEqual({ completed: 1 });
    expect(handled.sort()).toEqual(['a1', 'a2', 'c1']);
  });

  it('stops a key whose handler threw, keeps the others going, and returns the first error', async () => {
    const boom = new Error('boom');
    const handled: string[] = [];
    const outcome = await handleInKeyOrder(
      [rec('a', 1), rec('a', 2), rec('b', 1)],
      (r) => r.key,
      async (r) => {
        if (r.key === 'a' && r.n === 1) throw boom;
        handled.push(`${r.key}${r.n}`);
        return true;
      },
      4,
    );
    expect(outcome).toEqual({ completed: 0, error: boom });
    expect(handled).toEqual(['b1']);
  });

  it('keeps records without a key in their order, as one key', async () => {
    const seen: number[] = [];
    await handleInKeyOrder(
      [rec(null, 1), rec(null, 2), rec(null, 3)],
      (r) => r.key,
      async (r) => {
        await tick(4 - r.n);
        seen.push(r.n);
        return true;
      },
      8,
    );
    expect(seen).toEqual([1, 2, 3]);
  });

  it('treats an empty run as done', async () => {
    await expect(
      handleInKeyOrder(
        [],
        () => 'k',
        async () => true,
        4,
      ),
    ).resolves.toEqual({
      completed: 0,
    });
  });
});
