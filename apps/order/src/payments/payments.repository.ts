import { Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { putIfAbsent, TableNames, conditionalWrite } from '@mercato/persistence';
import type { PaymentErrorCode } from './payments.exception';
import type { PaymentRecord } from './payment.record';
import { PAYMENTS_TABLE } from './payments.tables';

const paymentKey = (paymentId: string) => `payment#${paymentId}`;
const idempotencyKey = (key: string) => `idempotency#${key}`;

function appliedByTime(operations: PaymentRecord['operations']): string[] {
  return Object.keys(operations).sort((a, b) => operations[a].at.localeCompare(operations[b].at));
}

/** The first result of a key: a value, or the code and message of the refusal it met. */
export type StoredOutcome =
  { ok: true; value: unknown } | { ok: false; code: PaymentErrorCode; message: string };

/** The first call made with an idempotency key. */
export interface IdempotencyRecord {
  key: string;
  /** A digest of the operation and its arguments: a repeat must match it. */
  fingerprint: string;
  /** The payment the call acts on (chosen before an authorisation runs, so a retry reuses it). */
  paymentId: string;
  state: 'running' | 'done';
  /** While running: until when the caller holds the key (clock ms); then another may take over. */
  leaseUntil: number;
  outcome?: StoredOutcome;
}

/**
 * All payments-table I/O: payments (written only conditionally on their version) and idempotency
 * records (claimed with put-if-absent, so of two racing calls with one key exactly one runs).
 */
@Injectable()
export class PaymentsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  private get table(): string {
    return this.tables.of(PAYMENTS_TABLE);
  }

  /** Stores a new payment; false when one with its id exists already (left untouched). */
  createPayment(record: PaymentRecord): Promise<boolean> {
    return putIfAbsent(this.doc, this.table, 'pk', { pk: paymentKey(record.paymentId), ...record });
  }

  /** One payment (strongly consistent: every rule runs on it), or undefined. */
  async readPayment(paymentId: string): Promise<PaymentRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: paymentKey(paymentId) },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, ...stored } = out.Item;
    // Payments written before voids could follow captures (and before the ledger kept its order)
    // have no `released` or `applied`: nothing was released, and their receipts are told by time.
    const record = stored as Partial<PaymentRecord> & Omit<PaymentRecord, 'released' | 'applied'>;
    return {
      ...record,
      released: record.released ?? 0,
      applied: record.applied ?? appliedByTime(record.operations),
    };
  }

  /**
   * Replaces a payment only while its version is still `expectedVersion`; false when another
   * change got there first (the caller reads again and re-applies its rule).
   */
  async replacePayment(record: PaymentRecord, expectedVersion: number): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: paymentKey(record.paymentId), ...record },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      ),
    );
  }

  /** Claims `record.key` for its first call; false when the key was claimed before. */
  claimKey(record: Omit<IdempotencyRecord, 'state' | 'outcome'>): Promise<boolean> {
    return putIfAbsent(this.doc, this.table, 'pk', {
      pk: idempotencyKey(record.key),
      ...record,
      state: 'running',
    });
  }

  async readKey(key: string): Promise<IdempotencyRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: idempotencyKey(key) },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, ...record } = out.Item;
    return record as IdempotencyRecord;
  }

  /**
   * Moves a running key's lease from `currentLease` to `nextLease`: taking over a lapsed lease
   * (its caller died or gave up) or handing one back early (`nextLease` 0). False when the lease
   * changed meanwhile: someone else holds it now.
   */
  async moveLease(key: string, currentLease: number, nextLease: number): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: idempotencyKey(key) },
          UpdateExpression: 'SET leaseUntil = :next',
          ConditionExpression: '#state = :running AND leaseUntil = :current',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':current': currentLease,
            ':next': nextLease,
          },
        }),
      ),
    );
  }

  /**
   * Records the key's outcome, once: a caller whose lease was taken over and who finishes late
   * finds the key done and leaves the first outcome in place (both outcomes come from the same
   * stored payment, so they agree). False when the key was already done.
   */
  async finishKey(key: string, outcome: StoredOutcome): Promise<boolean> {
    return conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: idempotencyKey(key) },
          UpdateExpression: 'SET #state = :done, outcome = :outcome',
          ConditionExpression: '#state = :running',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':done': 'done',
            ':running': 'running',
            ':outcome': outcome,
          },
        }),
      ),
    );
  }
}
