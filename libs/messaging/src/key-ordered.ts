import pLimit from 'p-limit';

/** Keys handled at once per partition unless configured (BUS_KEY_CONCURRENCY). */
export const DEFAULT_KEY_CONCURRENCY = 16;

export interface KeyOrderedOutcome {
  /**
   * How many records from the start of the run were handled without a gap: the offset may move
   * past these and no further (a later record may be done while an earlier one is not).
   */
  completed: number;
  /** The first error a handler threw, if any (its record and the rest of its key were not done). */
  error?: unknown;
}

/**
 * Handles a run of records of one partition the way the port promises (records of one key one at
 * a time, in order) without making every key wait for the slowest: records are grouped by key,
 * and up to `concurrency` keys are handled at once. A partition handled strictly one record at a
 * time queues every request behind the one before it, so a handler waiting 10 ms on its database
 * caps the partition near 100 records/s however idle the CPU is (docs/performance.md).
 *
 * `handle` resolves `true` when a record is done, `false` to stop its key there (the consumer is
 * stopping); a throw stops its key too. Other keys run on; the outcome says how far the run is
 * done without a gap. Records with no key share one key: nothing says they may be reordered.
 */
export async function handleInKeyOrder<T>(
  records: readonly T[],
  keyOf: (record: T) => string | null | undefined,
  handle: (record: T) => Promise<boolean>,
  concurrency: number,
): Promise<KeyOrderedOutcome> {
  const chains = new Map<string, number[]>();
  records.forEach((record, index) => {
    const key = keyOf(record) ?? '';
    const chain = chains.get(key);
    if (chain) chain.push(index);
    else chains.set(key, [index]);
  });
  const done = new Array<boolean>(records.length).fill(false);
  let error: unknown;
  let failed = false;
  const limit = pLimit(Math.max(1, concurrency));
  await Promise.all(
    [...chains.values()].map((chain) =>
      limit(async () => {
        for (const index of chain) {
          try {
            if (!(await handle(records[index]))) return;
          } catch (thrown) {
            if (!failed) [failed, error] = [true, thrown];
            return;
          }
          done[index] = true;
        }
      }),
    ),
  );
  const gap = done.indexOf(false);
  return { completed: gap === -1 ? records.length : gap, ...(failed ? { error } : {}) };
}
