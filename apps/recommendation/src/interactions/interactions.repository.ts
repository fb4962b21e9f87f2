import { Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, TableNames } from '@mercato/persistence';
import { interactionAt, type InteractionView } from './interactions.rules';
import { INTERACTIONS_TABLE, SHOPPER_LINKS_TABLE } from './interactions.tables';

/** A device a customer signed in on, and when last. */
export interface DeviceLink {
  deviceId: string;
  linkedAt: string;
}

/** All `interactions` and `shopper-links` I/O, in the words of the interaction stream. */
@Injectable()
export class InteractionsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /**
   * Stores an interaction once: a put refused when its key (fixed by the event's time and id)
   * is taken. Answers whether it stored it (false: a redelivery, nothing changed).
   */
  async add(shopperKey: string, view: InteractionView, expiresAt: number): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new PutCommand({
          TableName: this.tables.of(INTERACTIONS_TABLE),
          Item: { ...view, shopperKey, at: interactionAt(view), expiresAt },
          ConditionExpression: 'attribute_not_exists(#at)',
          ExpressionAttributeNames: { '#at': 'at' },
        }),
      ),
    );
  }

  /**
   * A shopper's newest interactions, at most `limit`, newest first; with `atOrBefore`, only those
   * whose sort key is not above it. Pages only past 1 MB.
   */
  async newest(shopperKey: string, limit: number, atOrBefore?: string): Promise<InteractionView[]> {
    const views: InteractionView[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.of(INTERACTIONS_TABLE),
          KeyConditionExpression:
            atOrBefore === undefined
              ? '#shopper = :shopper'
              : '#shopper = :shopper AND #at <= :until',
          ExpressionAttributeNames: {
            '#shopper': 'shopperKey',
            ...(atOrBefore === undefined ? {} : { '#at': 'at' }),
          },
          ExpressionAttributeValues: {
            ':shopper': shopperKey,
            ...(atOrBefore === undefined ? {} : { ':until': atOrBefore }),
          },
          ScanIndexForward: false,
          Limit: limit - views.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) views.push(viewOf(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey && views.length < limit);
    return views;
  }

  /**
   * Links a device to a customer, or moves the link's `linkedAt` forward: one conditional
   * update, so a redelivered or an older sign-in changes nothing.
   */
  async link(customerId: string, deviceId: string, linkedAt: string): Promise<void> {
    await conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.of(SHOPPER_LINKS_TABLE),
          Key: { customerId, deviceId },
          UpdateExpression: 'SET #linkedAt = :at',
          ConditionExpression: 'attribute_not_exists(#linkedAt) OR #linkedAt < :at',
          ExpressionAttributeNames: { '#linkedAt': 'linkedAt' },
          ExpressionAttributeValues: { ':at': linkedAt },
        }),
      ),
    );
  }

  /** Every device linked to a customer. */
  async linksOf(customerId: string): Promise<DeviceLink[]> {
    const links: DeviceLink[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.of(SHOPPER_LINKS_TABLE),
          KeyConditionExpression: '#customer = :customer',
          ExpressionAttributeNames: { '#customer': 'customerId' },
          ExpressionAttributeValues: { ':customer': customerId },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        links.push({ deviceId: String(item.deviceId), linkedAt: String(item.linkedAt) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return links;
  }
}

/** An item without its keys and TTL: the view the contract answers. */
function viewOf(item: Record<string, unknown>): InteractionView {
  const { shopperKey: _key, at: _at, expiresAt: _expires, ...view } = item;
  return view as InteractionView;
}
