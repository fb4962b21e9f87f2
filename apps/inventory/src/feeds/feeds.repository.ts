import { Injectable } from '@nestjs/common';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { FeedRowResult, WarehouseId } from '@mercato/contracts';
import { batchGet, isConditionalCheckFailed, TableNames } from '@mercato/persistence';
import { INVENTORY_TABLE } from '../stock/inventory.tables';

/** A row of a stored feed: the parsed values and what happened to it. */
export interface StoredFeedRow {
  row: number;
  sku: string;
  warehouseId: WarehouseId;
  onHand: number;
  status: FeedRowResult['status'];
  reason?: string;
  /** Rejected for a reason that may go away (SKU not known yet): reconciliation tries again. */
  retry?: boolean;
}

/** The latest feed of one source: which feed it is, when it arrived, where its rows are. */
export interface FeedHead {
  source: string;
  feedId: string;
  /** Epoch ms of the feed's first chunk: the feed's time for ordering against other feeds. */
  receivedAt: number;
  chunkKeys: string[];
}

/**
 * Stored feeds share the Inventory table under keys no SKU uses (`#` prefix, like the seed
 * marker): `#feeds` lists the sources, `#feed#<source>` is a source's latest feed (head),
 * `#feed#<source>#<feedId>#<offset>#<part>` holds its rows. A chunk of 1,000 rows is ~100 KB,
 * but rows are split by size anyway so no item nears DynamoDB's 400 KB limit.
 */
const REGISTRY_KEY = '#feeds';
const headKey = (source: string) => `#feed#${source}`;
const MAX_PART_BYTES = 300_000;

/** All I/O of stored stock feeds. */
@Injectable()
export class FeedsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /**
   * Makes `feedId` the source's latest feed (keeping its first receipt time when it already is)
   * and answers the head. A new feed replaces the previous one, whose chunks are deleted.
   */
  async openFeed(source: string, feedId: string, now: number): Promise<FeedHead> {
    const table = this.tables.of(INVENTORY_TABLE);
    await this.doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { sku: REGISTRY_KEY },
        UpdateExpression: 'ADD #sources :source',
        ExpressionAttributeNames: { '#sources': 'sources' },
        ExpressionAttributeValues: { ':source': new Set([source]) },
      }),
    );
    const current = await this.head(source);
    if (current?.feedId === feedId) return current;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: table,
          Item: { sku: headKey(source), source, feedId, receivedAt: now },
          ConditionExpression: 'attribute_not_exists(feedId) OR feedId <> :feedId',
          ExpressionAttributeValues: { ':feedId': feedId },
        }),
      );
    } catch (error) {
      // Another chunk of the same feed opened it first: use its head.
      if (!isConditionalCheckFailed(error)) throw error;
      return (await this.head(source))!;
    }
    for (const key of current?.chunkKeys ?? []) {
      await this.doc.send(new DeleteCommand({ TableName: table, Key: { sku: key } }));
    }
    return { source, feedId, receivedAt: now, chunkKeys: [] };
  }

  /** Stores a chunk's rows (re-sending a chunk overwrites its parts) and links them to the head. */
  async saveChunk(head: FeedHead, offset: number, rows: StoredFeedRow[]): Promise<void> {
    const keys: string[] = [];
    const parts = splitBySize(rows);
    for (let n = 0; n < parts.length; n++) {
      const key = `${headKey(head.source)}#${head.feedId}#${offset}#${n}`;
      keys.push(key);
      await this.putPart(key, parts[n]);
    }
    if (keys.length === 0) return;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.of(INVENTORY_TABLE),
          Key: { sku: headKey(head.source) },
          UpdateExpression: 'ADD #chunks :keys',
          ConditionExpression: 'feedId = :feedId',
          ExpressionAttributeNames: { '#chunks': 'chunkKeys' },
          ExpressionAttributeValues: { ':keys': new Set(keys), ':feedId': head.feedId },
        }),
      );
    } catch (error) {
      // A newer feed replaced this one while we stored it: it is no longer the latest.
      if (!isConditionalCheckFailed(error)) throw error;
      for (const key of keys) {
        await this.doc.send(
          new DeleteCommand({ TableName: this.tables.of(INVENTORY_TABLE), Key: { sku: key } }),
        );
      }
    }
  }

  /** The latest feed of every source. */
  async latestFeeds(): Promise<FeedHead[]> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tables.of(INVENTORY_TABLE),
        Key: { sku: REGISTRY_KEY },
        ConsistentRead: true,
      }),
    );
    const sources = [...((Item?.sources as Set<string> | undefined) ?? [])];
    const heads = await batchGet<Record<string, unknown>>(
      this.doc,
      this.tables.of(INVENTORY_TABLE),
      sources.map((source) => ({ sku: headKey(source) })),
    );
    return heads.map(toHead);
  }

  /** The rows of one stored part. */
  async rows(key: string): Promise<StoredFeedRow[]> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tables.of(INVENTORY_TABLE),
        Key: { sku: key },
        ConsistentRead: true,
      }),
    );
    return (Item?.rows as StoredFeedRow[] | undefined) ?? [];
  }

  async putPart(key: string, rows: StoredFeedRow[]): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tables.of(INVENTORY_TABLE), Item: { sku: key, rows } }),
    );
  }

  private async head(source: string): Promise<FeedHead | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tables.of(INVENTORY_TABLE),
        Key: { sku: headKey(source) },
        ConsistentRead: true,
      }),
    );
    return Item ? toHead(Item) : undefined;
  }
}

function toHead(item: Record<string, unknown>): FeedHead {
  return {
    source: item.source as string,
    feedId: item.feedId as string,
    receivedAt: item.receivedAt as number,
    chunkKeys: [...((item.chunkKeys as Set<string> | undefined) ?? [])].sort(),
  };
}

function splitBySize(rows: StoredFeedRow[]): StoredFeedRow[][] {
  const parts: StoredFeedRow[][] = [];
  let part: StoredFeedRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = Buffer.byteLength(JSON.stringify(row)) + 16;
    if (part.length > 0 && bytes + size > MAX_PART_BYTES) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(row);
    bytes += size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
