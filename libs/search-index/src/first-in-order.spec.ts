import { firstInOrder } from './first-in-order';

/** A small deterministic generator, so a failure can be replayed. */
function numbers(seed: number, count: number, range: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % range;
  });
}

describe('firstInOrder', () => {
  const byValueThenIndex = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

  it('answers what a full sort and slice answer, for any k, with duplicates', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const items = numbers(seed, 300, 50).map((value, i): [number, number] => [value, i]);
      for (const k of [0, 1, 5, 20, 74, 75, 76, 299, 300, 301]) {
        const expected = [...items].sort(byValueThenIndex).slice(0, k);
        expect(firstInOrder(items, k, byValueThenIndex)).toEqual(expected);
      }
    }
  });

  it('leaves its input as it was', () => {
    const items = numbers(7, 100, 1_000);
    const copy = [...items];
    firstInOrder(items, 10, (a, b) => a - b);
    expect(items).toEqual(copy);
  });

  it('answers nothing for k ≤ 0 and everything sorted for k beyond the length', () => {
    expect(firstInOrder([3, 1, 2], 0, (a, b) => a - b)).toEqual([]);
    expect(firstInOrder([3, 1, 2], -1, (a, b) => a - b)).toEqual([]);
    expect(firstInOrder([3, 1, 2], 10, (a, b) => a - b)).toEqual([1, 2, 3]);
  });
});
