import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, type TableNames } from '@mercato/persistence';
import { CHECKOUTS_TABLE } from './checkout.tables';

/** One open checkout: what recovery needs to finish or undo the saga of one Idempotency-Key. */
export interface OpenCheckout {
  checkoutId: string;
  orderId: string;
  customerId: string;
  idempotencyKey: string;
  /** The claim that now holds the idempotency key (a retry that took the key over adopts it). */
  claimId: string;
  /**
   * The payment token, kept only while the saga is open: recovery repeats the authorisation with
   * the same key to learn a payment id whose reply was lost, then voids it.
   */
  paymentToken: string;
  openedAt: string;
  /** Epoch ms until which `owner` drives the saga. */
  leaseUntil: number;
  owner: string;
  /**
   * Set when the saga ended with an answer for the key (`finish`): the checkout is then closed,
   * kept for CLOSED_CHECKOUT_RETENTION_MS so a retry that took the key over while the saga was
   * being finished answers this outcome instead of running again.
   */
  outcome?: { status: number; body: unknown };
  /** Epoch seconds after which a closed checkout may go (DynamoDB's TTL attribute). */
  expiresAt?: number;
}

/**
 * How long a closed checkout answers for its key. A retry can take the key over only after the
 * key's lease (IDEMPOTENCY_LEASE_SECONDS, 30 s) ran out without an answer; an hour covers that
 * with a wide margin, including an order process that was down meanwhile.
 */
export const CLOSED_CHECKOUT_RETENTION_MS = 3_600_000;

/** A closed checkout never counts as stale: its lease is "forever". */
const CLOSED_LEASE = Number.MAX_SAFE_INTEGER;

export const checkoutIdOf = (customerId: string, idempotencyKey: string): string =>
  JSON.stringify([customerId, idempotencyKey]);

/** All I/O of the `checkouts` table (open sagas and their leases). */
export class CheckoutsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  private get table(): string {
    return this.tables.of(CHECKOUTS_TABLE);
  }

  /** Opens the saga unless the key already has one; true when this call opened it. */
  async open(checkout: OpenCheckout): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: checkout,
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': 'checkoutId' },
        }),
      ),
    );
  }

  async get(checkoutId: string): Promise<OpenCheckout | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { checkoutId }, ConsistentRead: true }),
    );
    return Item as OpenCheckout | undefined;
  }

  /** Records that `claimId` now holds the idempotency key (false when the saga ended meanwhile). */
  async adoptClaim(checkoutId: string, claimId: string): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { checkoutId },
          UpdateExpression: 'SET #claim = :claim',
          ConditionExpression: 'attribute_exists(#id)',
          ExpressionAttributeNames: { '#claim': 'claimId', '#id': 'checkoutId' },
          ExpressionAttributeValues: { ':claim': claimId },
        }),
      ),
    );
  }

  /** Extends `owner`'s lease; false when another owner took the saga over (or it ended). */
  async renew(checkoutId: string, owner: string, leaseUntil: number): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { checkoutId },
          UpdateExpression: 'SET #lease = :lease',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#lease': 'leaseUntil', '#owner': 'owner' },
          ExpressionAttributeValues: { ':lease': leaseUntil, ':owner': owner },
        }),
      ),
    );
  }

  /**
   * Takes a saga whose lease ran out by `now` for `owner` until `leaseUntil`: one conditional
   * update, so of two processes taking one saga exactly one gets it.
   */
  async take(checkoutId: string, owner: string, now: number, leaseUntil: number): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { checkoutId },
          UpdateExpression: 'SET #lease = :lease, #owner = :owner',
          ConditionExpression: 'attribute_exists(#id) AND #lease <= :now',
          ExpressionAttributeNames: {
            '#lease': 'leaseUntil',
            '#owner': 'owner',
            '#id': 'checkoutId',
          },
          ExpressionAttributeValues: { ':lease': leaseUntil, ':owner': owner, ':now': now },
        }),
      ),
    );
  }

  /** Ends the saga's lease now (its owner gave up after an error): recovery may take it at once. */
  async release(checkoutId: string, owner: string, now: number): Promise<boolean> {
    return this.renew(checkoutId, owner, now);
  }

  /**
   * Closes the saga with the key's answer (only its owner may): the item stays, closed, with the
   * outcome and without the payment token, until CLOSED_CHECKOUT_RETENTION_MS has passed.
   */
  async finish(
    checkoutId: string,
    owner: string,
    outcome: { status: number; body: unknown },
    now: number,
  ): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { checkoutId },
          UpdateExpression:
            'SET #outcome = :outcome, #lease = :closed, #expires = :expires REMOVE #token',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: {
            '#outcome': 'outcome',
            '#lease': 'leaseUntil',
            '#expires': 'expiresAt',
            '#token': 'paymentToken',
            '#owner': 'owner',
          },
          ExpressionAttributeValues: {
            ':outcome': outcome,
            ':closed': CLOSED_LEASE,
            ':expires': Math.ceil((now + CLOSED_CHECKOUT_RETENTION_MS) / 1000),
            ':owner': owner,
          },
        }),
      ),
    );
  }

  /** Deletes the closed checkouts whose retention ended (DynamoDB's TTL does it on AWS). */
  async purgeClosed(now: number): Promise<number> {
    let purged = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: '#expires <= :now',
          ExpressionAttributeNames: { '#expires': 'expiresAt' },
          ExpressionAttributeValues: { ':now': Math.floor(now / 1000) },
          ProjectionExpression: 'checkoutId',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        await this.doc.send(
          new DeleteCommand({ TableName: this.table, Key: { checkoutId: item.checkoutId } }),
        );
        purged++;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return purged;
  }

  /** Deletes the saga without an answer (only its owner may): a retry with the key runs again. */
  async close(checkoutId: string, owner: string): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { checkoutId },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      ),
    );
  }

  /**
   * The open sagas whose lease ran out by `now`: a scan of the sagas in flight and the last hour's
   * closed ones (skipped by the filter). At scale this wants a sparse index of open sagas.
   */
  async listStale(now: number): Promise<OpenCheckout[]> {
    const stale: OpenCheckout[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: '#lease <= :now AND attribute_not_exists(#outcome)',
          ExpressionAttributeNames: { '#lease': 'leaseUntil', '#outcome': 'outcome' },
          ExpressionAttributeValues: { ':now': now },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      stale.push(...((page.Items ?? []) as OpenCheckout[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return stale;
  }
}
