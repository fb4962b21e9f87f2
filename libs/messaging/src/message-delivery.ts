import {
  ContractViolation,
  validateMessage,
  type Envelope,
  type EventContract,
  type RequestContract,
} from '@mercato/contracts';
import { Correlation } from '@mercato/observability';
import type { BusMetrics } from './bus-metrics';
import {
  buildDeadLetter,
  decodeEnvelope,
  describeError,
  retryDelay,
  type BusLogger,
  type CancellableSleeps,
  type ReplyMessage,
} from './bus-support';
import { toReplyError, type ReplyError } from './errors';
import type { DeadLetter, EventHandler, RequestHandler, RetryPolicy } from './message-bus';

/**
 * What happens to a message once a consumer has read it, written once for both adapters: the
 * envelope checked against its contract (a violation goes to the dead-letter topic at once), an
 * event handler retried with doubling backoff up to `maxAttempts` and then dead-lettered, a
 * request answered once (its failure is the reply, never a redelivery), a dead-letter handler
 * retried the same way and then skipped. The adapters keep only what differs: how a record is
 * read, where its dead letter and reply go, and what to do while waiting to retry.
 */

/** A record as the delivery logic needs it; each adapter maps its own records to this. */
export interface InboundRecord {
  /** The value as received: JSON text, unless a producer broke the contract. */
  readonly value: string;
  /** Stores the dead letter next to the original (its key, so one aggregate's stay in order). */
  sendDeadLetter(letter: DeadLetter): Promise<void> | void;
  /**
   * Sends a request's reply to its caller. Not awaited here: the key's next request does not wait
   * for the broker's ack of this reply (ADR 0010); the Kafka adapter holds the offset for it.
   */
  sendReply(reply: ReplyMessage): void;
  /** Before each retry wait; on Kafka a heartbeat, so a long backoff does not cost the group its member. */
  beforeRetryWait?(): Promise<void>;
}

/** `aborted`: the bus is closing mid-retry; the offset stays before the record, so it comes again. */
export type DeliveryVerdict = 'done' | 'aborted';

/** Handles one record for one topic and group. */
export type RecordProcessor = (record: InboundRecord) => Promise<DeliveryVerdict>;

/** The reply error sent when the answering handler's result violates the response contract. */
export const INVALID_RESPONSE: ReplyError = {
  status: 500,
  code: 'INVALID_RESPONSE',
  message: 'The service answered with a response that violates its contract',
};

/** The reply error sent when a request does not match its contract on receipt. */
export function invalidRequest(violation: ContractViolation): ReplyError {
  return { status: 400, code: 'CONTRACT_VIOLATION', message: violation.message };
}

/** Runs a handler in the correlation scope of the message it handles, so its logs line up. */
function inMessageScope<T>(envelope: Envelope, fn: () => Promise<T>): Promise<T> {
  return Correlation.run({ correlationId: envelope.correlationId, causationId: envelope.id }, fn);
}

type Attempts =
  | { outcome: 'handled' }
  | { outcome: 'failed'; attempts: number; error: unknown }
  | { outcome: 'aborted' };

export class MessageDelivery {
  constructor(
    private readonly retry: RetryPolicy,
    private readonly metrics: BusMetrics,
    private readonly logger: BusLogger,
    /** The bus's waits: closing it cuts a retry wait short and the record is `aborted`. */
    private readonly sleeps: CancellableSleeps,
  ) {}

  /** Domain events for one consumer group: retried, then dead-lettered; the partition moves on. */
  eventProcessor(
    contract: EventContract,
    group: string,
    handler: EventHandler<unknown>,
  ): RecordProcessor {
    const { topic } = contract;
    return async (record) => {
      let envelope: Envelope;
      try {
        envelope = decodeEnvelope(record.value, contract, contract.schema);
      } catch (error) {
        await this.deadLetter(
          record,
          buildDeadLetter(topic, group, 1, describeError(error), record.value),
        );
        return 'done';
      }
      const result = await this.withRetries(
        record,
        async () => {
          const stopTimer = this.metrics.handlerSeconds.startTimer({ topic, group });
          try {
            await inMessageScope(envelope, () => handler(envelope.data, envelope));
          } finally {
            stopTimer();
          }
        },
        (attempt, error) => {
          this.metrics.messages.inc({ topic, group, outcome: 'retried' });
          this.logger.warn(
            `${topic} (${group}) message ${envelope.id}: ${this.failure(attempt, error)}; retrying`,
          );
        },
      );
      if (result.outcome === 'aborted') return 'aborted';
      if (result.outcome === 'handled') {
        this.metrics.messages.inc({ topic, group, outcome: 'handled' });
        return 'done';
      }
      const reason = this.failure(result.attempts, result.error);
      await this.deadLetter(
        record,
        buildDeadLetter(topic, group, result.attempts, reason, record.value),
      );
      return 'done';
    };
  }

  /**
   * Requests, answered by the contract's owner: the handler runs once and its outcome is the
   * reply. A request that breaks its contract is dead-lettered and answered 400, so its caller
   * does not wait for a timeout.
   */
  requestProcessor(
    contract: RequestContract,
    handler: RequestHandler<unknown, unknown>,
  ): RecordProcessor {
    return async (record) => {
      let reply: ReplyMessage;
      try {
        const envelope = decodeEnvelope(record.value, contract, contract.request);
        reply = await this.answerOnce(contract, envelope, handler);
      } catch (error) {
        await this.deadLetter(
          record,
          buildDeadLetter(contract.topic, contract.owner, 1, describeError(error), record.value),
        );
        if (!(error instanceof ContractViolation)) return 'done';
        reply = { ok: false, error: invalidRequest(error) };
      }
      record.sendReply(reply);
      return 'done';
    };
  }

  /**
   * A dead-letter topic read by one group (operations, tests): retried like an event, then skipped
   * with an error log, since a dead letter has no dead-letter topic of its own.
   */
  deadLetterProcessor(
    dlqTopic: string,
    group: string,
    handler: (letter: DeadLetter) => Promise<void>,
  ): RecordProcessor {
    const topic = dlqTopic;
    return async (record) => {
      let letter: DeadLetter;
      try {
        letter = JSON.parse(record.value) as DeadLetter;
      } catch (error) {
        this.logger.error(
          `${topic} (${group}): unreadable dead letter skipped: ${describeError(error)}`,
        );
        return 'done';
      }
      const result = await this.withRetries(
        record,
        () => handler(letter),
        () => this.metrics.messages.inc({ topic, group, outcome: 'retried' }),
      );
      if (result.outcome === 'aborted') return 'aborted';
      if (result.outcome === 'handled') {
        this.metrics.messages.inc({ topic, group, outcome: 'handled' });
        return 'done';
      }
      this.metrics.messages.inc({ topic, group, outcome: 'dead_lettered' });
      this.logger.error(
        `${topic} (${group}): dead-letter handler gave up: ${describeError(result.error)}; skipped`,
      );
      return 'done';
    };
  }

  /**
   * Calls `attempt` until it succeeds or `maxAttempts` calls failed, waiting backoffMs · 2^(n-1)
   * after the n-th failure; `onRetry` hears of each failure that is tried again.
   */
  private async withRetries(
    record: InboundRecord,
    attempt: () => Promise<void>,
    onRetry: (attempt: number, error: unknown) => void,
  ): Promise<Attempts> {
    for (let n = 1; ; n++) {
      try {
        await attempt();
        return { outcome: 'handled' };
      } catch (error) {
        if (n >= this.retry.maxAttempts) return { outcome: 'failed', attempts: n, error };
        onRetry(n, error);
        await record.beforeRetryWait?.();
        if (!(await this.sleeps.sleep(retryDelay(this.retry, n)))) return { outcome: 'aborted' };
      }
    }
  }

  private failure(attempt: number, error: unknown): string {
    return `handler failed on attempt ${attempt} of ${this.retry.maxAttempts}: ${describeError(error)}`;
  }

  /**
   * Runs a request handler once and turns its outcome into the reply: the result checked against
   * the response contract, or the handler's error (its status and code).
   */
  private async answerOnce(
    contract: RequestContract,
    envelope: Envelope,
    handler: RequestHandler<unknown, unknown>,
  ): Promise<ReplyMessage> {
    const { topic, owner: group } = contract;
    const stopTimer = this.metrics.handlerSeconds.startTimer({ topic, group });
    let reply: ReplyMessage;
    try {
      const result = await inMessageScope(envelope, () => handler(envelope.data, envelope));
      try {
        reply = { ok: true, result: validateMessage(contract.response, result, topic, 'reply') };
      } catch (violation) {
        this.logger.error(
          `${topic}: the handler's response violates the contract: ${describeError(violation)}`,
        );
        reply = { ok: false, error: INVALID_RESPONSE };
      }
    } catch (error) {
      reply = { ok: false, error: toReplyError(error) };
      if (reply.error.status >= 500) {
        this.logger.error(`${topic} handler failed: ${describeError(error)}`);
      }
    }
    stopTimer();
    this.metrics.messages.inc({ topic, group, outcome: 'handled' });
    return reply;
  }

  /** Counts and logs the dead letter, then stores it; the caller then lets the partition move on. */
  private async deadLetter(record: InboundRecord, letter: DeadLetter): Promise<void> {
    this.metrics.messages.inc({
      topic: letter.topic,
      group: letter.group,
      outcome: 'dead_lettered',
    });
    this.logger.error(`${letter.topic} (${letter.group}) message dead-lettered: ${letter.reason}`);
    await record.sendDeadLetter(letter);
  }
}
