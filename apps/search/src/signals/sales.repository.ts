import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, TableNames } from '@mercato/persistence';
import type { DaySales } from './sales-signals.rules';
import { SALES_TABLE } from './sales.tables';

/** All `search-sales` I/O, in the words of the sales signals. */
@Injectable()
export class SalesRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  private get table(): string {
    return this.tables.of(SALES_TABLE);
  }

  /**
   * Adds an order's units of a product to its day, once: one UpdateItem that adds the units and
   * the order id together, refused when the id is already in the day's set. Atomic per item, so
   * a crash leaves the order either counted or not, never half, and a redelivery counts nothing.
   * Answers whether the units were added (false: counted before).
   *
   * Bound: the set grows by one id per order of the product that day; at about 40 bytes an id,
   * the 400 KB item limit allows some 10,000 orders of one product a day, and every Query reads
   * the sets too (docs/search.md, "Sales signals").
   *
   * Issue 20 subtracts here: a cancelled or refunded confirmed order would `ADD units -q` and add
   * its id to a `cancelledOrderIds` set, on condition that the id is in `orderIds` and not yet in
   * `cancelledOrderIds` (same item, same atomicity; the day is the order's confirmed day, which
   * the cancellation event would have to carry or the order be read for).
   */
  async recordOrder(
    productId: string,
    day: string,
    sale: { orderId: string; units: number; expiresAt: number },
  ): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { productId, day },
          UpdateExpression: 'ADD #units :units, #orders :orders SET #expires = :expires',
          ConditionExpression: 'attribute_not_exists(#orders) OR NOT contains(#orders, :orderId)',
          ExpressionAttributeNames: {
            '#units': 'units',
            '#orders': 'orderIds',
            '#expires': 'expiresAt',
          },
          ExpressionAttributeValues: {
            ':units': sale.units,
            ':orders': new Set([sale.orderId]),
            ':orderId': sale.orderId,
            ':expires': sale.expiresAt,
          },
        }),
      ),
    );
  }

  /** A product's units per day from `fromDay` on (one Query, paged only past 1 MB). */
  async salesSince(productId: string, fromDay: string): Promise<DaySales[]> {
    const sales: DaySales[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#product = :product AND #day >= :from',
          // The order ids are for deduplication only; leaving them out keeps the answer small.
          ProjectionExpression: '#day, #units',
          ExpressionAttributeNames: { '#product': 'productId', '#day': 'day', '#units': 'units' },
          ExpressionAttributeValues: { ':product': productId, ':from': fromDay },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        sales.push({ day: String(item.day), units: Number(item.units ?? 0) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return sales;
  }
}
