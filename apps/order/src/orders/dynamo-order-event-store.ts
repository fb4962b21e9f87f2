import {
  GetCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  clearPending,
  putIfAbsent,
  OUTBOX_ATTRIBUTES,
  OutboxRelay,
  outboxShardOf,
  type OutboxRelayOptions,
  type TableNames,
} from '@mercato/persistence';
import { OrderEventStore } from './order-event-store';
import { parseOrderEvent, type OrderEvent, type OrderEventDraft } from './order.events';
import { OrderVersionConflict } from './orders.exception';
import { ORDER_EVENTS_TABLE } from './orders.tables';

/** One append as stored: its events, versions `version`…`lastVersion`. */
interface AppendItem {
  orderId: string;
  /** The first event's version: the sort key, so two appends at one version collide. */
  version: number;
  lastVersion: number;
  events: OrderEvent[];
  appendedAt: number;
}

/** The key of one append's item: what the outbox relay hands back and `clearOutboxMark` takes. */
export interface OrderEventBatchKey {
  orderId: string;
  version: number;
}

/**
 * OrderEventStore on the order app's `order-events` table, without transactions (dynalite has
 * none):
 * - One append is ONE item (PK orderId, SK = its first version) holding all its events, so a
 *   reader sees the whole append or nothing; a refused put writes nothing.
 * - The put is conditional on the key being free, so of concurrent appends at one version
 *   exactly one is stored. Before it, the order's latest item is read (strongly consistent) and
 *   the append refused unless its last version is `expectedVersion`: this refuses an expected
 *   version inside an earlier append (whose item sits under a lower key), and a gap. Since each
 *   item's key is the previous item's last version + 1, an append racing past the check still
 *   collides with whichever item took that key.
 * - Each item is written with the outbox mark (libs/persistence/src/outbox.ts): the writer
 *   clears it after publishing (`clearOutboxMark`), and `outboxRelay` publishes the appends of
 *   a writer that died first.
 * An append's events must fit one item (400 KB on DynamoDB): an order's steps are a few events.
 */
export class DynamoOrderEventStore extends OrderEventStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {
    super();
  }

  private get table(): string {
    return this.tables.of(ORDER_EVENTS_TABLE);
  }

  async append(
    orderId: string,
    expectedVersion: number,
    drafts: readonly OrderEventDraft[],
  ): Promise<OrderEvent[]> {
    if (drafts.length === 0) return [];
    const events = drafts.map((draft, index) =>
      parseOrderEvent({ ...draft, orderId, version: expectedVersion + 1 + index }),
    );
    if ((await this.currentVersion(orderId)) !== expectedVersion) {
      throw new OrderVersionConflict(orderId, expectedVersion);
    }
    const first = expectedVersion + 1;
    const now = Date.now();
    const item: AppendItem & Record<string, unknown> = {
      orderId,
      version: first,
      lastVersion: expectedVersion + events.length,
      events,
      // Wall-clock time, not a service clock: the relay compares it with its own Date.now().
      appendedAt: now,
      [OUTBOX_ATTRIBUTES.shard]: outboxShardOf(`${orderId}#${first}`),
      [OUTBOX_ATTRIBUTES.since]: now,
    };
    // The item's key is the previous append's last version + 1: of several appends at one
    // expected version, exactly one finds it free.
    if (!(await putIfAbsent(this.doc, this.table, 'orderId', item))) {
      throw new OrderVersionConflict(orderId, expectedVersion);
    }
    return events;
  }

  async read(orderId: string): Promise<OrderEvent[]> {
    // The whole partition in one query: every read of an order (its views, each lifecycle
    // decision) pays one round trip instead of readFrom's two.
    const items = await this.query({
      KeyConditionExpression: '#orderId = :orderId',
      ExpressionAttributeValues: { ':orderId': orderId },
    });
    return items.flatMap((item) => this.eventsOf(item));
  }

  async readFrom(orderId: string, fromVersion: number): Promise<OrderEvent[]> {
    // The append holding `fromVersion` may start below it; every later append starts above it.
    const holding = await this.query({
      KeyConditionExpression: '#orderId = :orderId AND #version <= :from',
      ExpressionAttributeValues: { ':orderId': orderId, ':from': fromVersion },
      ScanIndexForward: false,
      Limit: 1,
    });
    const later = await this.query({
      KeyConditionExpression: '#orderId = :orderId AND #version > :from',
      ExpressionAttributeValues: { ':orderId': orderId, ':from': fromVersion },
    });
    return [...holding.slice(0, 1), ...later]
      .flatMap((item) => this.eventsOf(item))
      .filter((event) => event.version >= fromVersion);
  }

  /** The events before `version` (the order as it was before an append starting there). */
  async readUntil(orderId: string, version: number): Promise<OrderEvent[]> {
    return (await this.read(orderId)).filter((event) => event.version < version);
  }

  /** The events of one append (the outbox relay's delivery reads them by the marked key). */
  async readBatch(key: OrderEventBatchKey): Promise<OrderEvent[]> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { orderId: key.orderId, version: key.version },
        ConsistentRead: true,
      }),
    );
    return Item ? this.eventsOf(Item as AppendItem) : [];
  }

  /** Clears an append's outbox mark once its events are published (items never change after). */
  async clearOutboxMark(key: OrderEventBatchKey): Promise<void> {
    await clearPending(
      this.doc,
      this.table,
      { orderId: key.orderId, version: key.version },
      key.version,
    );
  }

  /** The relay of this table's outbox: `deliver` gets the key of an append left unpublished. */
  outboxRelay(options: Omit<OutboxRelayOptions, 'doc' | 'table'>): OutboxRelay {
    return new OutboxRelay({ ...options, doc: this.doc, table: this.table });
  }

  /** The order's version now: the last version of its latest append (0: none). */
  private async currentVersion(orderId: string): Promise<number> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#orderId = :orderId',
        ExpressionAttributeNames: { '#orderId': 'orderId', '#lastVersion': 'lastVersion' },
        ExpressionAttributeValues: { ':orderId': orderId },
        ProjectionExpression: '#lastVersion',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return (Items?.[0]?.lastVersion as number | undefined) ?? 0;
  }

  /** Every item a query of this order's partition answers, page after page (unless `Limit`). */
  private async query(
    input: Pick<
      QueryCommandInput,
      'KeyConditionExpression' | 'ExpressionAttributeValues' | 'ScanIndexForward' | 'Limit'
    >,
  ): Promise<AppendItem[]> {
    const items: AppendItem[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.table,
          // DynamoDB refuses a name the expression does not use.
          ExpressionAttributeNames: input.KeyConditionExpression?.includes('#version')
            ? { '#orderId': 'orderId', '#version': 'version' }
            : { '#orderId': 'orderId' },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...((out.Items ?? []) as AppendItem[]));
      ExclusiveStartKey = input.Limit ? undefined : out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  /** Stored events are parsed again: what comes out of the table is checked like any input. */
  private eventsOf(item: AppendItem): OrderEvent[] {
    return item.events.map(parseOrderEvent);
  }
}
