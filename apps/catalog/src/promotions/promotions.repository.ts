import { Injectable } from '@nestjs/common';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CouponRedemption, CouponRelease, Promotion } from '@mercato/contracts';
import {
  batchGet,
  isConditionalCheckFailed,
  TableNames,
  putIfAbsent,
  conditionalWrite,
} from '@mercato/persistence';
import type { CouponUsage } from './promotions.pricing';
import { PROMOTIONS_TABLE } from './promotions.tables';

/**
 * Item layout of the promotions table (PK `pk`, SK `sk`):
 * - `promotions` / `promotion#<promotionId>`: one promotion (the definition under `promotion`).
 *   Every promotion sits in one partition: there are hundreds, written rarely, and the catalog
 *   reads them all at once.
 * - `promotions` / `epoch`: the change counter (`epoch`, `changedAt`, `publishedEpoch`) and the
 *   lease that serialises admin writes (`lockedBy`, `lockedUntil`).
 * - `coupon#<CODE>` / `coupon`: one coupon code: its limits and window (copied from the
 *   promotion), `used`, `customers` (redemptions per customer id) and `redemptions` (customer id
 *   per order id). Keeping the counters and the per-order record in one item is what makes a
 *   redemption one conditional write, exact under concurrency and idempotent per order. Each
 *   order adds ~100 bytes to the item, so one code holds a few thousand redemptions before
 *   DynamoDB's 400 KB item limit (enough for targeted codes; a mass code would need shards).
 */
const PROMOTIONS_PK = 'promotions';
const PROMOTION_SK_PREFIX = 'promotion#';
const EPOCH_KEY = { pk: PROMOTIONS_PK, sk: 'epoch' } as const;
const couponKey = (code: string) => ({ pk: `coupon#${code}`, sk: 'coupon' });

export interface EpochState {
  epoch: number;
  /** The last epoch whose PromotionsChanged event was published. */
  publishedEpoch: number;
  /** When the epoch last moved (ms), 0 before the first change. */
  changedAt: number;
}

interface CouponItem {
  pk: string;
  sk: string;
  code: string;
  promotionId: string;
  totalLimit?: number;
  perCustomerLimit?: number;
  startsAt?: string;
  endsAt?: string;
  used: number;
  customers: Record<string, number>;
  redemptions: Record<string, string>;
}

/** What a coupon item copies from its promotion (null: no limit, or an unbounded window). */
export interface CouponTerms {
  totalLimit: number | null;
  perCustomerLimit: number | null;
  startsAt: string | null;
  endsAt: string | null;
}

const promotionKey = (promotionId: string) => ({
  pk: PROMOTIONS_PK,
  sk: `${PROMOTION_SK_PREFIX}${promotionId}`,
});

/** A stored definition; those written before updates existed lack the audit fields. */
const fromItem = (item: Record<string, unknown>): Promotion =>
  ({ updatedBy: null, updatedAt: null, version: 1, ...(item.promotion as object) }) as Promotion;

/** All promotions-table I/O of the catalog. */
@Injectable()
export class PromotionsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /** Every stored promotion (strongly consistent: admin checks run on it). */
  async listPromotions(): Promise<Promotion[]> {
    const promotions: Promotion[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.of(PROMOTIONS_TABLE),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': PROMOTIONS_PK, ':prefix': PROMOTION_SK_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of out.Items ?? []) promotions.push(fromItem(item));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return promotions;
  }

  /** One promotion (strongly consistent), or undefined when there is none with this id. */
  async getPromotion(promotionId: string): Promise<Promotion | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tables.of(PROMOTIONS_TABLE),
        Key: promotionKey(promotionId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async putPromotion(promotion: Promotion): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tables.of(PROMOTIONS_TABLE),
        Item: { ...promotionKey(promotion.promotionId), promotion },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /**
   * Replaces a stored promotion only while its version is still `expectedVersion` (a definition
   * written before versions existed counts as version 1). False when it moved or is gone: the
   * caller read a stale copy and must not overwrite a newer one.
   */
  async replacePromotion(promotion: Promotion, expectedVersion: number): Promise<boolean> {
    const versionMatches =
      expectedVersion === 1
        ? '(attribute_not_exists(#p.#v) OR #p.#v = :expected)'
        : '#p.#v = :expected';
    return conditionalWrite(
      this.doc.send(
        new PutCommand({
          TableName: this.tables.of(PROMOTIONS_TABLE),
          Item: { ...promotionKey(promotion.promotionId), promotion },
          ConditionExpression: `attribute_exists(pk) AND ${versionMatches}`,
          ExpressionAttributeNames: { '#p': 'promotion', '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      ),
    );
  }

  async deletePromotion(promotionId: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({
        TableName: this.tables.of(PROMOTIONS_TABLE),
        Key: promotionKey(promotionId),
      }),
    );
  }

  /**
   * Copies a promotion's new limits and window onto its coupon item (what redemption checks),
   * leaving the uses spent so far alone. A limit at or below the uses already spent just stops
   * further redemptions. Only the coupon of `promotionId` is touched.
   */
  async updateCouponTerms(code: string, promotionId: string, terms: CouponTerms): Promise<void> {
    const set: string[] = [];
    const remove: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':id': promotionId };
    for (const [field, value] of Object.entries(terms)) {
      names[`#${field}`] = field;
      if (value === null) {
        remove.push(`#${field}`);
      } else {
        set.push(`#${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
    const update = [
      set.length ? `SET ${set.join(', ')}` : '',
      remove.length ? `REMOVE ${remove.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.of(PROMOTIONS_TABLE),
        Key: couponKey(code),
        UpdateExpression: update,
        ConditionExpression: 'promotionId = :id',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Claims a coupon code for a promotion; false when the code already belongs to one. */
  async claimCoupon(
    promotion: Promotion & { coupon: NonNullable<Promotion['coupon']> },
  ): Promise<boolean> {
    const { coupon } = promotion;
    const item: CouponItem = {
      ...couponKey(coupon.code),
      code: coupon.code,
      promotionId: promotion.promotionId,
      totalLimit: coupon.totalLimit ?? undefined,
      perCustomerLimit: coupon.perCustomerLimit ?? undefined,
      startsAt: promotion.startsAt ?? undefined,
      endsAt: promotion.endsAt ?? undefined,
      used: 0,
      customers: {},
      redemptions: {},
    };
    return putIfAbsent(this.doc, this.tables.of(PROMOTIONS_TABLE), 'pk', { ...item });
  }

  /** Undoes `claimCoupon` (only the claim of that promotion, never another's). */
  async unclaimCoupon(code: string, promotionId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tables.of(PROMOTIONS_TABLE),
          Key: couponKey(code),
          ConditionExpression: 'promotionId = :id',
          ExpressionAttributeValues: { ':id': promotionId },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async readEpoch(): Promise<EpochState> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tables.of(PROMOTIONS_TABLE),
        Key: EPOCH_KEY,
        ConsistentRead: true,
      }),
    );
    const item = out.Item ?? {};
    return {
      epoch: (item.epoch as number | undefined) ?? 0,
      publishedEpoch: (item.publishedEpoch as number | undefined) ?? 0,
      changedAt: (item.changedAt as number | undefined) ?? 0,
    };
  }

  /**
   * Takes the admin-write lease (a conditional write on the epoch item) unless someone else
   * holds an unexpired one. Admin writes are rare, so a lease is simpler than optimistic retries
   * across several items; a holder that dies just lets it expire.
   */
  async acquireWriteLock(token: string, nowMs: number, leaseMs: number): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.of(PROMOTIONS_TABLE),
          Key: EPOCH_KEY,
          UpdateExpression: 'SET lockedBy = :token, lockedUntil = :until',
          ConditionExpression: 'attribute_not_exists(lockedBy) OR lockedUntil < :now',
          ExpressionAttributeValues: { ':token': token, ':until': nowMs + leaseMs, ':now': nowMs },
        }),
      ),
    );
  }

  /**
   * Ends a write under the lease: moves the epoch and frees the lease in one conditional write.
   * Answers the new epoch, or undefined when the lease was lost (expired and taken over), in
   * which case the caller must undo its writes.
   */
  async commitChange(token: string, nowMs: number): Promise<number | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.of(PROMOTIONS_TABLE),
          Key: EPOCH_KEY,
          UpdateExpression:
            'SET epoch = if_not_exists(epoch, :zero) + :one, changedAt = :now REMOVE lockedBy, lockedUntil',
          ConditionExpression: 'lockedBy = :token',
          ExpressionAttributeValues: { ':token': token, ':zero': 0, ':one': 1, ':now': nowMs },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return out.Attributes?.epoch as number;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  /** Frees the lease without a change (the command was refused). */
  async releaseWriteLock(token: string): Promise<void> {
    await this.updateEpochItemIf('REMOVE lockedBy, lockedUntil', 'lockedBy = :token', {
      ':token': token,
    });
  }

  /** Records that the event of `epoch` went out (never moves backwards). */
  async markPublished(epoch: number): Promise<void> {
    await this.updateEpochItemIf(
      'SET publishedEpoch = :epoch',
      'attribute_not_exists(publishedEpoch) OR publishedEpoch < :epoch',
      { ':epoch': epoch },
    );
  }

  /** One conditional update of the epoch item; a failed condition means there is nothing to do. */
  private async updateEpochItemIf(
    update: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.of(PROMOTIONS_TABLE),
          Key: EPOCH_KEY,
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  /** Uses so far per code (upper case); `byCustomer` counts `customerId`'s (0 without one). */
  async couponUsage(
    codes: readonly string[],
    customerId?: string,
  ): Promise<Map<string, CouponUsage & { promotionId: string }>> {
    const unique = [...new Set(codes)];
    const items = unique.length
      ? await batchGet<CouponItem>(
          this.doc,
          this.tables.of(PROMOTIONS_TABLE),
          unique.map(couponKey),
        )
      : [];
    return new Map(
      items.map((item) => [
        item.code,
        {
          promotionId: item.promotionId,
          used: item.used,
          byCustomer: customerId ? (item.customers[customerId] ?? 0) : 0,
        },
      ]),
    );
  }

  /**
   * Spends one use of `code` for `orderId` in one conditional UpdateItem: within the total and
   * the customer's limit, inside the window, and only if this order has not spent one already.
   * When the condition fails, the item is read to say why; a failure none of the reasons
   * explains (a release raced in between) is retried.
   */
  async redeem(
    code: string,
    customerId: string,
    orderId: string,
    now: Date,
  ): Promise<CouponRedemption> {
    const nowIso = now.toISOString();
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tables.of(PROMOTIONS_TABLE),
            Key: couponKey(code),
            UpdateExpression:
              'SET #used = #used + :one, #customers.#c = if_not_exists(#customers.#c, :zero) + :one, #redemptions.#o = :c',
            ConditionExpression: [
              'attribute_exists(pk)',
              'attribute_not_exists(#redemptions.#o)',
              '(attribute_not_exists(#total) OR #used < #total)',
              '(attribute_not_exists(#per) OR attribute_not_exists(#customers.#c) OR #customers.#c < #per)',
              '(attribute_not_exists(#starts) OR #starts <= :now)',
              '(attribute_not_exists(#ends) OR #ends > :now)',
            ].join(' AND '),
            ExpressionAttributeNames: {
              '#used': 'used',
              '#customers': 'customers',
              '#redemptions': 'redemptions',
              '#total': 'totalLimit',
              '#per': 'perCustomerLimit',
              '#starts': 'startsAt',
              '#ends': 'endsAt',
              '#c': customerId,
              '#o': orderId,
            },
            ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':c': customerId, ':now': nowIso },
          }),
        );
        return 'redeemed';
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
      const item = await this.readCoupon(code);
      if (!item) return 'unknown';
      if (item.redemptions[orderId] !== undefined) return 'redeemed';
      if (item.startsAt !== undefined && nowIso < item.startsAt) return 'not_started';
      if (item.endsAt !== undefined && nowIso >= item.endsAt) return 'expired';
      if (item.totalLimit !== undefined && item.used >= item.totalLimit) return 'exhausted';
      if (
        item.perCustomerLimit !== undefined &&
        (item.customers[customerId] ?? 0) >= item.perCustomerLimit
      ) {
        return 'customer_limit';
      }
    }
    throw new Error(`Coupon ${code}: redemption kept conflicting with concurrent changes`);
  }

  /** Gives back the use `orderId` spent; releasing an order that holds none changes nothing. */
  async release(code: string, customerId: string, orderId: string): Promise<CouponRelease> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.of(PROMOTIONS_TABLE),
          Key: couponKey(code),
          UpdateExpression:
            'SET #used = #used - :one, #customers.#c = #customers.#c - :one REMOVE #redemptions.#o',
          ConditionExpression: '#redemptions.#o = :c',
          ExpressionAttributeNames: {
            '#used': 'used',
            '#customers': 'customers',
            '#redemptions': 'redemptions',
            '#c': customerId,
            '#o': orderId,
          },
          ExpressionAttributeValues: { ':one': 1, ':c': customerId },
        }),
      );
      return 'released';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return (await this.readCoupon(code)) ? 'not_redeemed' : 'unknown';
  }

  private async readCoupon(code: string): Promise<CouponItem | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tables.of(PROMOTIONS_TABLE),
        Key: couponKey(code),
        ConsistentRead: true,
      }),
    );
    return out.Item as CouponItem | undefined;
  }
}
