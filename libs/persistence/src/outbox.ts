import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from './conditional';

/**
 * A transactional outbox for DynamoDB without transactions (dynalite has no TransactWriteItems,
 * docs/architecture.md, "Data"): the write that changes an item also marks it "change not yet
 * published", in the same single-item conditional write. After publishing, the writer clears the
 * mark if no later write has happened (`clearPending`). Marked items sit in a sparse GSI, so a
 * relay (`OutboxRelay`) finds the marks left by a process that died between its write and its
 * publish, and publishes for them. A change can be published twice (at-least-once), never zero
 * times; consumers are idempotent.
 *
 * Tables that use it include the `byOutbox` index (`OUTBOX_GSI` and
 * `OUTBOX_ATTRIBUTE_DEFINITIONS`, table-definitions.ts) and a numeric `version` attribute that
 * every write increments.
 */
export const OUTBOX_INDEX = 'byOutbox';
export const OUTBOX_ATTRIBUTES = { shard: 'outboxShard', since: 'outboxSince' } as const;

/** Shards of the index's partition key, so one hot index partition never takes every mark. */
export const OUTBOX_SHARDS = 4;

export const outboxShardOf = (itemKey: string): string =>
  `outbox#${createHash('sha1').update(itemKey).digest()[0] % OUTBOX_SHARDS}`;

/**
 * The part of an UpdateExpression's SET clause that marks an item pending, with its names and
 * values. `since` keeps the time of the oldest unpublished change (if_not_exists).
 */
export function pendingMark(
  itemKey: string,
  nowMs: number,
): { set: string; names: Record<string, string>; values: Record<string, unknown> } {
  return {
    set: '#outboxShard = :outboxShard, #outboxSince = if_not_exists(#outboxSince, :outboxNow)',
    names: { '#outboxShard': OUTBOX_ATTRIBUTES.shard, '#outboxSince': OUTBOX_ATTRIBUTES.since },
    values: { ':outboxShard': outboxShardOf(itemKey), ':outboxNow': nowMs },
  };
}

/**
 * Clears an item's pending mark once its change at `version` is published. Does nothing (and
 * answers false) when a later write has bumped the version: that write's publisher clears it.
 */
export async function clearPending(
  doc: DynamoDBDocumentClient,
  table: string,
  key: Record<string, unknown>,
  version: number,
): Promise<boolean> {
  return conditionalWrite(
    doc.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'REMOVE #outboxShard, #outboxSince',
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: {
          '#outboxShard': OUTBOX_ATTRIBUTES.shard,
          '#outboxSince': OUTBOX_ATTRIBUTES.since,
          '#version': 'version',
        },
        ExpressionAttributeValues: { ':version': version },
      }),
    ),
  );
}

/**
 * Items of a sparse index whose partition key is sharded (`<prefix>0` … `<prefix>N-1`) and whose
 * sort key is a time: those due at `upTo` or earlier, from every shard, at most `limit`. The
 * shape of every "what needs attention now" query (outbox marks, hold expiries).
 */
export async function queryDueInShardedIndex(
  doc: DynamoDBDocumentClient,
  query: {
    table: string;
    index: string;
    shardAttribute: string;
    shardPrefix: string;
    shards: number;
    dueAttribute: string;
    upTo: number;
    limit: number;
  },
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let shard = 0; shard < query.shards && items.length < query.limit; shard++) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: query.table,
          IndexName: query.index,
          KeyConditionExpression: '#shard = :shard AND #due <= :upTo',
          ExpressionAttributeNames: { '#shard': query.shardAttribute, '#due': query.dueAttribute },
          ExpressionAttributeValues: {
            ':shard': `${query.shardPrefix}${shard}`,
            ':upTo': query.upTo,
          },
          Limit: query.limit - items.length,
          ExclusiveStartKey,
        }),
      );
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < query.limit);
  }
  return items;
}

/** Keys of the items marked pending since `olderThanMs` or earlier, from every shard. */
export async function findPending(
  doc: DynamoDBDocumentClient,
  table: string,
  olderThanMs: number,
  limit = 500,
): Promise<Record<string, unknown>[]> {
  const items = await queryDueInShardedIndex(doc, {
    table,
    index: OUTBOX_INDEX,
    shardAttribute: OUTBOX_ATTRIBUTES.shard,
    shardPrefix: 'outbox#',
    shards: OUTBOX_SHARDS,
    dueAttribute: OUTBOX_ATTRIBUTES.since,
    upTo: olderThanMs,
    limit,
  });
  return items.map(
    ({ [OUTBOX_ATTRIBUTES.shard]: _shard, [OUTBOX_ATTRIBUTES.since]: _since, ...key }) => key,
  );
}

export interface OutboxRelayOptions {
  /** Names the relay in logs. */
  name: string;
  doc: DynamoDBDocumentClient;
  table: string;
  /** How often to look for marks left behind. */
  intervalMs: number;
  /** A mark younger than this belongs to a writer that is still publishing it: leave it. */
  graceMs: number;
  /**
   * Publishes the change of the item with this key and clears its mark (`clearPending`), or
   * throws to try again on the next pass. Must tolerate an item whose mark is already gone.
   */
  deliver(key: Record<string, unknown>): Promise<void>;
}

/**
 * Publishes the changes whose writer died (or lost the broker) between its write and its
 * publish. Runs every `intervalMs` until stopped; one pass at a time.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly options: OutboxRelayOptions) {
    this.logger = new Logger(`OutboxRelay(${options.name})`);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () => void this.runOnce().catch(() => undefined),
      this.options.intervalMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass: delivers every mark older than the grace period; answers how many it delivered. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<number> {
    const { doc, table, graceMs, deliver } = this.options;
    let delivered = 0;
    try {
      for (const key of await findPending(doc, table, Date.now() - graceMs)) {
        try {
          await deliver(key);
          delivered++;
        } catch (error) {
          this.logger.warn(`could not deliver ${JSON.stringify(key)}: ${(error as Error).message}`);
        }
      }
    } catch (error) {
      this.logger.warn(`pass failed, retrying on the next one: ${(error as Error).message}`);
      throw error;
    }
    if (delivered > 0) this.logger.log(`published ${delivered} change(s) left behind by a writer`);
    return delivered;
  }
}
