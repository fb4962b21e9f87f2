/** Bytes of a row as JSON (as it travels in a bus message); `undefined` counts as `null`. */
export const jsonBytesOf = (row: unknown): number =>
  Buffer.byteLength(JSON.stringify(row) ?? 'null', 'utf8');

/**
 * Where each chunk of `rows` starts: a chunk holds at most `size` rows and, when `maxBytes` is
 * given, at most `maxBytes` of rows as JSON, unless one row alone is larger (it then travels
 * alone: callers keep such rows out when the transport cannot carry them).
 */
export function chunkOffsets(rows: readonly unknown[], size: number, maxBytes?: number): number[] {
  const offsets: number[] = [];
  let count = 0;
  let bytes = 0;
  rows.forEach((row, index) => {
    const rowBytes = maxBytes === undefined ? 0 : jsonBytesOf(row) + 1;
    if (index === 0 || count >= size || (maxBytes !== undefined && bytes + rowBytes > maxBytes)) {
      offsets.push(index);
      count = 0;
      bytes = 0;
    }
    count++;
    bytes += rowBytes;
  });
  return offsets;
}

/**
 * Sends a feed of any size as chunks of at most `size` rows and, with `maxBytes`, at most that
 * many bytes of JSON (a bus message stays small: Kafka refuses records over 1 MB by default), at
 * most `inFlight` at a time, each with its offset so row numbers in the results are the feed's
 * own. Answers the chunks' results in feed order.
 */
export async function sendInChunks<R>(
  rows: readonly unknown[],
  size: number,
  inFlight: number,
  send: (chunk: unknown[], offset: number) => Promise<R[]>,
  maxBytes?: number,
): Promise<R[]> {
  const offsets = chunkOffsets(rows, size, maxBytes);
  const answers = new Array<R[]>(offsets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < offsets.length) {
      const index = next++;
      const offset = offsets[index];
      answers[index] = await send(rows.slice(offset, offsets[index + 1] ?? rows.length), offset);
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
