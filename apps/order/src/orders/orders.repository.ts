import {
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Currency, Money, Region } from '@mercato/contracts';
import { type TableNames, conditionalWrite } from '@mercato/persistence';
import type { OrderStatus, OrderTotals } from './order.events';
import { OrderErrorCode, OrderException } from './orders.exception';
import { ORDER_INDEXES, ORDERS_TABLE } from './orders.tables';

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

export const orderKeyOf = (placedAt: string, orderId: string): string => `${placedAt}#${orderId}`;
export const statusKeyOf = (status: OrderStatus, orderKey: string): string =>
  `${status}#${orderKey}`;

/** What a cursor carries: the query it belongs to and where the page ended. */
const cursorSchema = z.object({
  customerId: z.string(),
  status: z.string().optional(),
  key: z.record(z.string(), z.string()),
});

/**
 * All I/O of the Orders table (the projection of the order events). Writes are conditional on
 * the projected version, so a projection of an older history never replaces a newer one; reads
 * list one customer's orders newest first (the table's sort key, or the `byStatus` index for
 * one status) and find an order by id (the `byOrderId` index).
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
  async saveIfNewer(summary: OrderSummary): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: summary,
          ConditionExpression: 'attribute_not_exists(#orderKey) OR #version < :version',
          ExpressionAttributeNames: { '#orderKey': 'orderKey', '#version': 'version' },
          ExpressionAttributeValues: { ':version': summary.version },
        }),
      ),
    );
  }

  /** A customer's orders, newest first, of one status if given, a page at a time. */
  async listForCustomer(customerId: string, query: OrderListQuery): Promise<OrderPage> {
    const startKey = query.cursor
      ? this.decodeCursor(query.cursor, customerId, query.status)
      : undefined;
    const byStatus: Partial<QueryCommandInput> = query.status
      ? {
          IndexName: ORDER_INDEXES.byStatus,
          KeyConditionExpression: '#customerId = :customerId AND begins_with(#statusKey, :status)',
          ExpressionAttributeNames: { '#customerId': 'customerId', '#statusKey': 'statusKey' },
          ExpressionAttributeValues: { ':customerId': customerId, ':status': `${query.status}#` },
        }
      : {
          KeyConditionExpression: '#customerId = :customerId',
          ExpressionAttributeNames: { '#customerId': 'customerId' },
          ExpressionAttributeValues: { ':customerId': customerId },
        };
    const out = await this.doc.send(
      new QueryCommand({
        ...byStatus,
        TableName: this.table,
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const orders = (out.Items ?? []) as OrderSummary[];
    // A full page may be the last one: DynamoDB then still answers a key (one empty page more).
    const nextCursor = out.LastEvaluatedKey
      ? this.encodeCursor(customerId, query.status, out.LastEvaluatedKey)
      : undefined;
    return nextCursor ? { orders, nextCursor } : { orders };
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

  private encodeCursor(
    customerId: string,
    status: OrderStatus | undefined,
    key: Record<string, unknown>,
  ): string {
    return Buffer.from(JSON.stringify({ customerId, status, key }), 'utf8').toString('base64url');
  }

  /** The start key of a cursor this query handed out; any other cursor is INVALID_CURSOR. */
  private decodeCursor(
    cursor: string,
    customerId: string,
    status: OrderStatus | undefined,
  ): Record<string, string> {
    let parsed: z.infer<typeof cursorSchema> | undefined;
    try {
      parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    } catch {
      parsed = undefined;
    }
    if (
      !parsed ||
      parsed.customerId !== customerId ||
      parsed.status !== status ||
      parsed.key.customerId !== customerId
    ) {
      throw new OrderException(
        OrderErrorCode.InvalidCursor,
        'The cursor does not belong to this query (it only works for the same customer and status)',
      );
    }
    return parsed.key;
  }
}
