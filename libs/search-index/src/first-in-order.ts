/**
 * The first `k` of `items` in `compare` order, sorted — what `[...items].sort(compare).slice(0,
 * k)` answers, in O(n log k) instead of O(n log n). A search page needs the best 20 of maybe
 * thousands of matches: sorting them all was a third of the embedded engine's search time
 * (docs/performance.md). `compare` must be a total order (ties broken), as every sort of the
 * index is (by productId last). Does not modify `items`.
 */
export function firstInOrder<T>(
  items: readonly T[],
  k: number,
  compare: (a: T, b: T) => number,
): T[] {
  if (k <= 0) return [];
  // A heap pays off only when it keeps far fewer items than there are.
  if (k * 4 >= items.length) return [...items].sort(compare).slice(0, k);
  // A max-heap by `compare`: the root is the worst of the best k seen so far.
  const heap: T[] = [];
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      siftUp(heap, heap.length - 1, compare);
    } else if (compare(item, heap[0]) < 0) {
      heap[0] = item;
      siftDown(heap, 0, compare);
    }
  }
  return heap.sort(compare);
}

function siftUp<T>(heap: T[], index: number, compare: (a: T, b: T) => number): void {
  let child = index;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    if (compare(heap[child], heap[parent]) <= 0) return;
    [heap[child], heap[parent]] = [heap[parent], heap[child]];
    child = parent;
  }
}

function siftDown<T>(heap: T[], index: number, compare: (a: T, b: T) => number): void {
  let parent = index;
  for (;;) {
    const left = 2 * parent + 1;
    const right = left + 1;
    let worst = parent;
    if (left < heap.length && compare(heap[left], heap[worst]) > 0) worst = left;
    if (right < heap.length && compare(heap[right], heap[worst]) > 0) worst = right;
    if (worst === parent) return;
    [heap[parent], heap[worst]] = [heap[worst], heap[parent]];
    parent = worst;
  }
}
