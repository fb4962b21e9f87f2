import type {
  Envelope,
  EventContract,
  EventData,
  RequestContract,
  RequestOf,
  ResponseOf,
} from '@mercato/contracts';

export interface PublishOptions {
  /** Partition key: the aggregate id. Messages with one key are delivered in order. */
  key: string;
  /** Defaults to the correlation id of the current scope (HTTP request or handled message). */
  correlationId?: string;
  /** Defaults to the id of the message being handled in the current scope, if any. */
  causationId?: string | null;
}

export interface RequestOptions {
  /** Partition key for the request; defaults to a random key (requests need no order). */
  key?: string;
  correlationId?: string;
  /** Overrides the bus's default reply timeout. */
  timeoutMs?: number;
}

export type EventHandler<T> = (data: T, envelope: Envelope<T>) => Promise<void>;
export type RequestHandler<Q, R> = (payload: Q, envelope: Envelope<Q>) => Promise<R>;

/** What the bus hands to dead-letter consumers: the original message and why it failed. */
export interface DeadLetter {
  topic: string;
  group: string;
  attempts: number;
  reason: string;
  failedAt: string;
  /** The original envelope when it could be parsed, otherwise the raw value received. */
  message: unknown;
}

export interface RetryPolicy {
  /** Deliveries of one message to one group before it goes to the dead-letter topic. */
  maxAttempts: number;
  /** Delay before the n-th redelivery is backoffMs * 2^(n-1), capped at 30 s. */
  backoffMs: number;
}

export interface BusHealth {
  up: boolean;
  detail: string;
}

/**
 * The messaging port: domain events (publish/subscribe with consumer groups) and request/reply.
 *
 * Semantics every adapter keeps (checked by the contract suite in @mercato/testing):
 * - payloads are validated against their contract on send and on receipt;
 * - messages with the same key are handled in order, one at a time, per consumer group;
 * - each consumer group sees each event once; several groups each see it;
 * - a handler that throws gets the message again (with backoff) up to `maxAttempts`, then the
 *   message goes to `<topic>.dlq` with the reason and the partition moves on;
 * - a message that does not match its contract goes to the dead-letter topic at once;
 * - `request` rejects with RequestTimeoutError when no reply arrives in time, and with
 *   RemoteError when the answering handler failed (its status and code are carried over).
 *
 * Lifecycle: register handlers with `subscribe`/`answer`, then `start()`; `close()` stops
 * consuming after in-flight handlers finish.
 */
export abstract class MessageBus {
  abstract publish<C extends EventContract>(
    contract: C,
    data: EventData<C>,
    options: PublishOptions,
  ): Promise<Envelope<EventData<C>>>;

  abstract subscribe<C extends EventContract>(
    contract: C,
    group: string,
    handler: EventHandler<EventData<C>>,
  ): void;

  abstract request<C extends RequestContract>(
    contract: C,
    payload: RequestOf<C>,
    options?: RequestOptions,
  ): Promise<ResponseOf<C>>;

  abstract answer<C extends RequestContract>(
    contract: C,
    handler: RequestHandler<RequestOf<C>, ResponseOf<C>>,
  ): void;

  /** Consumes the dead-letter topic of `topic` in the given group (operations, tests). */
  abstract onDeadLetter(
    topic: string,
    group: string,
    handler: (letter: DeadLetter) => Promise<void>,
  ): void;

  abstract start(): Promise<void>;
  abstract close(): Promise<void>;

  /** Resolves when every message published so far has been handled or dead-lettered (tests). */
  abstract drain(): Promise<void>;

  abstract health(): Promise<BusHealth>;
}
