import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { type TableNames, conditionalWrite } from '@mercato/persistence';
import { IDEMPOTENCY_TABLE, IDEMPOTENCY_TTL_ATTRIBUTE } from './idempotency.tables';
import {
  IdempotencyStore,
  type IdempotencyBegin,
  type IdempotencyCompletion,
  type IdempotencyToken,
  type IdempotentResponse,
} from './idempotency.store';

export interface DynamoIdempotencyStoreOptions {
  /** How long a running request holds its key before another may take it over. */
  readonly leaseMs: number;
  /** How long a key is remembered. */
  readonly retentionMs: number;
  /** Milliseconds clock (tests move it instead of sleeping). */
  readonly now?: () => number;
}

/** One key's record in the `idempotency` table. */
interface IdempotencyRecord {
  recordId: string;
  requestHash: string;
  state: 'running' | 'done';
  /** The current holder's claim; `complete` and `abandon` only act with it. */
  claimId: string;
  leaseUntil: number;
  expiresAt: number;
  [IDEMPOTENCY_TTL_ATTRIBUTE]: number;
  /** JSON of the IdempotentResponse, once done: a string keeps any body as JSON carries it. */
  response?: string;
}

/**
 * Tries of `begin` before it answers `in_progress`: a retry is needed only when the record
 * changed between the refused claim and the read (freed, expired or taken over meanwhile).
 */
const MAX_CLAIM_ATTEMPTS = 5;

/** Scope and key as one partition key; JSON, so no scope can forge another scope's key. */
const recordIdOf = (scope: string, key: string): string => JSON.stringify([scope, key]);

/**
 * IdempotencyStore on DynamoDB: one item per scope and key. Claiming is ONE conditional put,
 * which succeeds when there is no record, the record expired, or its holder's lease ran out (with
 * the same request): so of any number of concurrent requests exactly one holds the key.
 *
 * Why a lease and not only the 24 h retention: a holder that dies (crash, deploy) never
 * completes nor abandons its claim. Without a lease its key would answer `in_progress` for a day,
 * and the client's only way out would be a new key, which is how an order gets placed twice.
 * The lease (30 s by default) outlasts a normal checkout, so a live request is not taken over;
 * a taker runs the same body again, so the steps after the claim must be idempotent themselves
 * (e.g. the payment carries an idempotency key derived from this one).
 *
 * Expired records are ignored on read and overwritten by the next claim; `expiresAtSeconds` lets
 * DynamoDB's TTL delete them eventually.
 */
export class DynamoIdempotencyStore extends IdempotencyStore {
  private readonly now: () => number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly options: DynamoIdempotencyStoreOptions,
  ) {
    super();
    this.now = options.now ?? Date.now;
  }

  private get table(): string {
    return this.tables.of(IDEMPOTENCY_TABLE);
  }

  async begin(scope: string, key: string, requestHash: string): Promise<IdempotencyBegin> {
    const recordId = recordIdOf(scope, key);
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      const now = this.now();
      const claimId = randomUUID();
      if (await this.claim(recordId, requestHash, claimId, now)) {
        return { kind: 'started', token: { scope, key, claimId } };
      }
      const record = await this.read(recordId);
      // Freed or expired since the claim was refused: claim again.
      if (!record || record.expiresAt <= now) continue;
      if (record.requestHash !== requestHash) return { kind: 'mismatch' };
      if (record.state === 'done' && record.response !== undefined) {
        return { kind: 'replay', response: JSON.parse(record.response) as IdempotentResponse };
      }
      if (record.leaseUntil > now) return { kind: 'in_progress' };
      // The lease ran out after the claim was refused: take it over.
    }
    return { kind: 'in_progress' };
  }

  async complete(
    token: IdempotencyToken,
    response: IdempotentResponse,
  ): Promise<IdempotencyCompletion> {
    const completed = await conditionalWrite(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { recordId: recordIdOf(token.scope, token.key) },
          UpdateExpression: 'SET #state = :done, #response = :response',
          ConditionExpression: '#claim = :claim AND #state = :running',
          ExpressionAttributeNames: {
            '#state': 'state',
            '#response': 'response',
            '#claim': 'claimId',
          },
          ExpressionAttributeValues: {
            ':done': 'done',
            ':running': 'running',
            ':claim': token.claimId,
            ':response': JSON.stringify({ status: response.status, body: response.body ?? null }),
          },
        }),
      ),
    );
    return completed ? 'completed' : 'lost';
  }

  async abandon(token: IdempotencyToken): Promise<void> {
    // Refused when the claim was taken over (or finished): the key is no longer ours to free.
    await conditionalWrite(
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { recordId: recordIdOf(token.scope, token.key) },
          ConditionExpression: '#claim = :claim AND #state = :running',
          ExpressionAttributeNames: { '#claim': 'claimId', '#state': 'state' },
          ExpressionAttributeValues: { ':claim': token.claimId, ':running': 'running' },
        }),
      ),
    );
  }

  /** One conditional put: true when this request now holds the key. */
  private async claim(
    recordId: string,
    requestHash: string,
    claimId: string,
    now: number,
  ): Promise<boolean> {
    const expiresAt = now + this.options.retentionMs;
    const record: IdempotencyRecord = {
      recordId,
      requestHash,
      state: 'running',
      claimId,
      leaseUntil: now + this.options.leaseMs,
      expiresAt,
      [IDEMPOTENCY_TTL_ATTRIBUTE]: Math.ceil(expiresAt / 1000),
    };
    return conditionalWrite(
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: record,
          ConditionExpression:
            'attribute_not_exists(#id) OR #expiresAt <= :now OR ' +
            '(#state = :running AND #leaseUntil <= :now AND #hash = :hash)',
          ExpressionAttributeNames: {
            '#id': 'recordId',
            '#expiresAt': 'expiresAt',
            '#state': 'state',
            '#leaseUntil': 'leaseUntil',
            '#hash': 'requestHash',
          },
          ExpressionAttributeValues: { ':now': now, ':running': 'running', ':hash': requestHash },
        }),
      ),
    );
  }

  private async read(recordId: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { recordId }, ConsistentRead: true }),
    );
    return Item as IdempotencyRecord | undefined;
  }
}
