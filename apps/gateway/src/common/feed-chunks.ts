/**
 * Sends a feed of any size as chunks of `size` rows (a bus message stays small), at most
 * `inFlight` at a time, each with its offset so row numbers in the results are the feed's own.
 * Answers the chunks' results in feed order.
 */
export async function sendInChunks<R>(
  rows: readonly unknown[],
  size: number,
  inFlight: number,
  send: (chunk: unknown[], offset: number) => Promise<R[]>,
): Promise<R[]> {
  const offsets: number[] = [];
  for (let offset = 0; offset < rows.length; offset += size) offsets.push(offset);
  const answers = new Array<R[]>(offsets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < offsets.length) {
      const index = next++;
      const offset = offsets[index];
      answers[index] = await send(rows.slice(offset, offset + size), offset);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return answers.flat();
}

/** How many results have each status (every status listed, zero included). */
export function countByStatus<S extends string>(
  results: readonly { status: S }[],
  statuses: readonly S[],
): Record<S, number> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
  for (const { status } of results) counts[status]++;
  return counts;
}
