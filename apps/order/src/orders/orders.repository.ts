import {
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Currency, Money, Region } from '@mercato/contracts';
import { type TableNames, conditionalWrite } from '@mercato/persistence';
import { wasPlaced } from './order-visibility';
import { ORDER_STATUSES, type OrderStatus, type OrderTotals } from './order.events';
import { ORDER_INDEXES, ORDERS_TABLE } from './orders.tables';
import { decodeCursor, encodeCursor, type CursorQuery } from './query-cursor';

/** A line as the order list shows it (the full lines are in the `placed` event). */
export interface OrderLineSummary {
  sku: string;
  productId: string;
  quantity: number;
  lineTotal: Money;
}

/** One order's item in the Orders table: what lists and details read without the events. */
export interface OrderSummary {
  customerId: string;
  /** `<placedAt ISO>#<orderId>`: the customer's orders sort newest first by it. */
  orderKey: string;
  orderId: string;
  status: OrderStatus;
  /** `<status>#<orderKey>`: the key of the `byStatus` index. */
  statusKey: string;
  /**
   * `orderKey` once the order was placed (`wasPlaced`), absent before and for a failed checkout:
   * the key of the sparse `placedByCustomer` index the customer's list reads.
   */
  placedKey?: string;
  region: Region;
  currency: Currency;
  totals: OrderTotals;
  lines: OrderLineSummary[];
  placedAt: string;
  updatedAt: string;
  /** The version of the latest event projected into this item. */
  version: number;
  reason?: string;
}

export interface OrderListQuery {
  status?: OrderStatus;
  /** Orders per page (the caller bounds it). */
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface OrderPage {
  orders: OrderSummary[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

/** A page of any list: its items and where the next page starts. */
export interface KeyedPage<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Puts a projected item unless its key already holds `version` or a later one; answers whether
 * it wrote. Re-projecting the same history is a no-op, and an older one never wins.
 */
export function putIfNewer(
  doc: DynamoDBDocumentClient,
  table: string,
  item: { orderKey: string; version: number },
): Promise<boolean> {
  return conditionalWrite(
    doc.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#orderKey) OR #version < :version',
        ExpressionAttributeNames: { '#orderKey': 'orderKey', '#version': 'version' },
        ExpressionAttributeValues: { ':version': item.version },
      }),
    ),
  );
}

/**
 * One page of a list, newest first, from where `page.cursor` left off; the cursor must be one
 * this list (`page.query`) handed out.
 */
export async function queryPage<T>(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  page: { query: CursorQuery; pinned: CursorQuery; limit: number; cursor?: string },
): Promise<KeyedPage<T>> {
  const startKey = page.cursor ? decodeCursor(page.cursor, page.query, page.pinned) : undefined;
  const out = await doc.send(
    new QueryCommand({
      ...input,
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const items = (out.Items ?? []) as T[];
  // A full page may be the last one: DynamoDB then still answers a key (one empty page more).
  return out.LastEvaluatedKey
    ? { items, nextCursor: encodeCursor(page.query, out.LastEvaluatedKey) }
    : { items };
}

export const orderKeyOf = (placedAt: string, orderId: string): string => `${placedAt}#${orderId}`;
export const statusKeyOf = (status: OrderStatus, orderKey: string): string =>
  `${status}#${orderKey}`;

/**
 * All I/O of the Orders table (the projection of the order events). Writes are conditional on
 * the projected version, so a projection of an older history never replaces a newer one; reads
 * list a customer's orders newest first (their own list: placed orders only; the admins': all),
 * one status across customers (`byStatusAll`), and find an order by id (`byOrderId`). Every
 * cursor is bound to its list and filters (`encodeCursor`).
 */
export class OrdersRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  private get table(): string {
    return this.tables.of(ORDERS_TABLE);
  }

  /**
   * Writes `summary` unless the item already holds its version or a later one; answers whether
   * it wrote. Re-projecting the same history is a no-op, so every delivery may project again.
   */
  saveIfNewer(summary: OrderSummary): Promise<boolean> {
    return putIfNewer(this.doc, this.table, summary);
  }

  /**
   * A customer's own list: the orders they placed (`wasPlaced`), newest first, of one status if
   * given, a page at a time. The rule is kept in the keys (the projection writes `placedKey` only
   * for a placed order) rather than by not projecting pending and failed orders: admins list
   * those too, from the same item. Without a
   * status the sparse `placedByCustomer` index holds exactly the placed orders, so pages are
   * full and exact (a filter would drop failed checkouts after DynamoDB's page limit).
   */
  async listForCustomer(customerId: string, query: OrderListQuery): Promise<OrderPage> {
    if (query.status && !wasPlaced(query.status)) return { orders: [] };
    if (query.status) return this.listByCustomer(customerId, query, 'customer');
    return this.page(
      {
        TableName: this.table,
        IndexName: ORDER_INDEXES.placedByCustomer,
        KeyConditionExpression: '#customerId = :customerId',
        ExpressionAttributeNames: { '#customerId': 'customerId' },
        ExpressionAttributeValues: { ':customerId': customerId },
      },
      { list: 'customer', customerId },
      { customerId },
      query,
    );
  }

  /** Every order of a customer (admins), pending and failed included, newest first. */
  async listByCustomer(
    customerId: string,
    query: OrderListQuery,
    list: 'customer' | 'admin' = 'admin',
  ): Promise<OrderPage> {
    const input: QueryCommandInput = query.status
      ? {
          TableName: this.table,
          IndexName: ORDER_INDEXES.byStatus,
          KeyConditionExpression: '#customerId = :customerId AND begins_with(#statusKey, :status)',
          ExpressionAttributeNames: { '#customerId': 'customerId', '#statusKey': 'statusKey' },
          ExpressionAttributeValues: { ':customerId': customerId, ':status': `${query.status}#` },
        }
      : {
          TableName: this.table,
          KeyConditionExpression: '#customerId = :customerId',
          ExpressionAttributeNames: { '#customerId': 'customerId' },
          ExpressionAttributeValues: { ':customerId': customerId },
        };
    return this.page(input, { list, customerId, status: query.status }, { customerId }, query);
  }

  /** Every order of one status across customers (admins), newest first. */
  async listByStatus(
    status: OrderStatus,
    query: Omit<OrderListQuery, 'status'>,
  ): Promise<OrderPage> {
    return this.page(
      {
        TableName: this.table,
        IndexName: ORDER_INDEXES.byStatusAll,
        KeyConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status },
      },
      { list: 'status', status },
      { status },
      query,
    );
  }

  /**
   * Every order, newest first (admins, no filter): one `byStatusAll` query per status, merged
   * on `orderKey`. The cursor holds, per status, the last order key handed out (`''`: that
   * status is done). A page reads up to `limit` orders per status (5 today): an admin's list,
   * not a hot path. An order whose status changes between two pages moves to another status's
   * partition, so it may show twice or not at all, as in any list of one status: a browse, not
   * a snapshot.
   */
  async listAll(query: Omit<OrderListQuery, 'status'>): Promise<OrderPage> {
    const cursorQuery = { list: 'all' };
    const after = query.cursor ? decodeCursor(query.cursor, cursorQuery, {}) : {};
    const reads = await Promise.all(
      ORDER_STATUSES.filter((status) => after[status] !== '').map(async (status) => {
        const last = after[status];
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: ORDER_INDEXES.byStatusAll,
            KeyConditionExpression: last
              ? '#status = :status AND #orderKey < :last'
              : '#status = :status',
            ExpressionAttributeNames: {
              '#status': 'status',
              ...(last ? { '#orderKey': 'orderKey' } : {}),
            },
            ExpressionAttributeValues: { ':status': status, ...(last ? { ':last': last } : {}) },
            ScanIndexForward: false,
            Limit: query.limit,
          }),
        );
        return { status, items: (out.Items ?? []) as OrderSummary[], more: !!out.LastEvaluatedKey };
      }),
    );
    const orders = reads
      .flatMap((read) => read.items)
      .sort((a, b) => (a.orderKey < b.orderKey ? 1 : a.orderKey > b.orderKey ? -1 : 0))
      .slice(0, query.limit);
    const taken = new Set(orders.map((order) => order.orderKey));
    const positions: Record<string, string> = { ...after };
    for (const { status, items, more } of reads) {
      const handedOut = items.filter((order) => taken.has(order.orderKey));
      if (handedOut.length > 0) positions[status] = handedOut[handedOut.length - 1].orderKey;
      if (!more && handedOut.length === items.length) positions[status] = '';
    }
    const done = ORDER_STATUSES.every((status) => positions[status] === '');
    return done ? { orders } : { orders, nextCursor: encodeCursor(cursorQuery, positions) };
  }

  /** The order with this id, whoever placed it (the caller checks ownership). */
  async getByOrderId(orderId: string): Promise<OrderSummary | undefined> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: ORDER_INDEXES.byOrderId,
        KeyConditionExpression: '#orderId = :orderId',
        ExpressionAttributeNames: { '#orderId': 'orderId' },
        ExpressionAttributeValues: { ':orderId': orderId },
        Limit: 1,
      }),
    );
    return Items?.[0] as OrderSummary | undefined;
  }

  /** The order if `customerId` placed it; another customer's order answers undefined, as none. */
  async getForCustomer(customerId: string, orderId: string): Promise<OrderSummary | undefined> {
    const order = await this.getByOrderId(orderId);
    return order?.customerId === customerId ? order : undefined;
  }

  private async page(
    input: QueryCommandInput,
    cursorQuery: CursorQuery,
    pinned: CursorQuery,
    { limit, cursor }: { limit: number; cursor?: string },
  ): Promise<OrderPage> {
    const { items, nextCursor } = await queryPage<OrderSummary>(this.doc, input, {
      query: cursorQuery,
      pinned,
      limit,
      cursor,
    });
    return nextCursor ? { orders: items, nextCursor } : { orders: items };
  }
}
