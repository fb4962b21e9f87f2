import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Currency, Region } from '@mercato/contracts';
import type { TableNames } from '@mercato/persistence';
import type { OrderLine, OrderStatus } from './order.events';
import { putIfNewer, queryPage, type OrderListQuery } from './orders.repository';
import { SELLER_ORDER_INDEXES, SELLER_ORDERS_TABLE } from './orders.tables';

/** One seller's part of a placed order: the order's facts and that seller's lines only. */
export interface SellerOrder {
  sellerId: string;
  /** `<placedAt ISO>#<orderId>`, as in Orders: the seller's orders sort newest first by it. */
  orderKey: string;
  orderId: string;
  status: OrderStatus;
  /** `<status>#<orderKey>`: the key of the `byStatus` index. */
  statusKey: string;
  region: Region;
  currency: Currency;
  lines: OrderLine[];
  placedAt: string;
  updatedAt: string;
  /** The version of the latest event projected into this item. */
  version: number;
}

export interface SellerOrderPage {
  orders: SellerOrder[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

/** All I/O of the `seller-orders` table (the sellers' projection of placed orders). */
export class SellerOrdersRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  private get table(): string {
    return this.tables.of(SELLER_ORDERS_TABLE);
  }

  /**
   * Writes the seller's item unless it already holds its version or a later one (as
   * `OrdersRepository.saveIfNewer`); answers whether it wrote.
   */
  saveIfNewer(order: SellerOrder): Promise<boolean> {
    return putIfNewer(this.doc, this.table, order);
  }

  /** The orders holding the seller's products, newest first, of one status if given. */
  async listForSeller(sellerId: string, query: OrderListQuery): Promise<SellerOrderPage> {
    const { items, nextCursor } = await queryPage<SellerOrder>(
      this.doc,
      query.status
        ? {
            TableName: this.table,
            IndexName: SELLER_ORDER_INDEXES.byStatus,
            KeyConditionExpression: '#sellerId = :sellerId AND begins_with(#statusKey, :status)',
            ExpressionAttributeNames: { '#sellerId': 'sellerId', '#statusKey': 'statusKey' },
            ExpressionAttributeValues: { ':sellerId': sellerId, ':status': `${query.status}#` },
          }
        : {
            TableName: this.table,
            KeyConditionExpression: '#sellerId = :sellerId',
            ExpressionAttributeNames: { '#sellerId': 'sellerId' },
            ExpressionAttributeValues: { ':sellerId': sellerId },
          },
      {
        query: { list: 'seller', sellerId, status: query.status },
        pinned: { sellerId },
        limit: query.limit,
        cursor: query.cursor,
      },
    );
    return nextCursor ? { orders: items, nextCursor } : { orders: items };
  }
}
