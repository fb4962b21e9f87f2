import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
type WriteRequest = { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes `items` to one table with BatchWriteItem (25 per call), retrying unprocessed items with
 * backoff. Puts only: callers make items deterministic so a retry or a re-run is idempotent.
 */
export async function batchPut(
  doc: DynamoDBDocumentClient,
  table: string,
  items: readonly Item[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(2_000, 25 * 2 ** attempt));
      if (attempt > 10)
        throw new Error(
          `BatchWrite to ${table}: items still unprocessed after ${attempt} attempts`,
        );
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (out.UnprocessedItems?.[table] as WriteRequest[] | undefined) ?? [];
    }
  }
}

/**
 * A bounded pipeline of batch writes: `add` items as they are generated; at most `concurrency`
 * BatchWrite calls are in flight, `add` waits when the pipeline is full (so a 100,000-product
 * stream never piles up in memory). `flush` waits for everything.
 */
export class BatchWriter {
  private buffer: Item[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  written = 0;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly concurrency = 4,
  ) {}

  async add(item: Item): Promise<void> {
    this.buffer.push(item);
    if (this.buffer.length >= 25) await this.dispatch();
  }

  async flush(): Promise<void> {
    if (this.buffer.length > 0) await this.dispatch();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }

  private async dispatch(): Promise<void> {
    if (this.failure) throw this.failure;
    const batch = this.buffer;
    this.buffer = [];
    const task: Promise<void> = batchPut(this.doc, this.table, batch).then(
      () => {
        this.written += batch.length;
        this.inFlight.delete(task);
      },
      (error: unknown) => {
        this.failure ??= error;
        this.inFlight.delete(task);
      },
    );
    this.inFlight.add(task);
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }
}

/** BatchGetItem of up to any number of keys (100 per call), retrying unprocessed keys. */
export async function batchGet<T = Item>(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Item[],
): Promise<T[]> {
  const found: T[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Item[] = keys.slice(i, i + 100) as Item[];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1_000, 20 * 2 ** attempt));
      if (attempt > 10)
        throw new Error(`BatchGet from ${table}: keys still unprocessed after ${attempt} attempts`);
      const out = await doc.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }),
      );
      found.push(...((out.Responses?.[table] ?? []) as T[]));
      pending = (out.UnprocessedKeys?.[table]?.Keys as Item[] | undefined) ?? [];
    }
  }
  return found;
}
