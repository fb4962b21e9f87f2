/**
 * Maps with at most `limit` calls in flight; results in input order. Not p-limit: after a
 * failure p-limit still runs every queued call, and at shutdown each of a page's hundred
 * catalog requests then waits out its bus timeout (measured: the store's close went past 5 s);
 * here a failed call stops its worker, so a failing page ends after at most `limit` failures.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
