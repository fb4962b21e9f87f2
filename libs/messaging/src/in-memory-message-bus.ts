import { randomUUID } from 'node:crypto';
import {
  deadLetterTopic,
  validateMessage,
  type Envelope,
  type EventContract,
  type EventData,
  type RequestContract,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { busMetrics } from './bus-metrics';
import {
  CancellableSleeps,
  defaultBusLogger,
  describeError,
  duplicateHandlerError,
  newEnvelope,
  requestEnvelope,
  timedRequest,
  type BusLogger,
  type ReplyMessage,
} from './bus-support';
import { DEFAULT_KEY_CONCURRENCY, handleInKeyOrder } from './key-ordered';
import { MessageDelivery, type InboundRecord, type RecordProcessor } from './message-delivery';
import {
  MessageBus,
  type BusHealth,
  type DeadLetter,
  type EventHandler,
  type PublishOptions,
  type RequestHandler,
  type RequestOptions,
  type RetryPolicy,
} from './message-bus';
import { PendingReplies } from './pending-replies';

export interface InMemoryMessageBusOptions {
  /** Partitions per topic (BUS_PARTITIONS). */
  partitions?: number;
  retry?: RetryPolicy;
  /** Default reply timeout of `request` (BUS_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
  /** Keys handled at once per partition and group (BUS_KEY_CONCURRENCY), as on Kafka. */
  keyConcurrency?: number;
  logger?: BusLogger;
}

interface StoredRecord {
  key: string;
  /** The serialized message: every payload makes a JSON round trip, as on Kafka. */
  value: string;
  headers: Readonly<Record<string, string>>;
}

/** An append-only log; offset `o` is at `records[o - base]` (consumed records are trimmed). */
interface PartitionLog {
  base: number;
  records: StoredRecord[];
}

/** One consumer group reading one partition, with its own offset. */
interface PartitionConsumer {
  topic: string;
  group: string;
  partition: number;
  offset: number;
  state: 'idle' | 'scheduled' | 'running';
  /** `aborted` leaves the offset where it was (the bus is closing). */
  process: RecordProcessor;
}

/** Records kept per partition of a topic no group reads yet (Kafka would apply its retention). */
const UNCONSUMED_RETENTION = 10_000;

/** Records taken per run, per key handled at once (a run ends before the next one starts). */
const RUN_LENGTH_PER_KEY = 4;

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, backoffMs: 100 };

/**
 * The embedded bus: Kafka's semantics in one process. Topics have N partitions (stable hash of
 * the key); each consumer group reads each partition with its own offset, the records of one key
 * one at a time and in order (several keys at once), and sees each message once. A handler that
 * throws gets the message again with exponential backoff, up to `maxAttempts`, then it goes to
 * `<topic>.dlq` and the partition moves on. A new group starts at the earliest retained record;
 * a record is retained until every group of its topic has handled it.
 */
export class InMemoryMessageBus extends MessageBus {
  private readonly partitionCount: number;
  private readonly requestTimeoutMs: number;
  private readonly keyConcurrency: number;
  private readonly logger: BusLogger;
  private readonly metrics = busMetrics();
  /** Address of this instance's replies (the Kafka adapter's reply topic). */
  private readonly replyAddress = `memory.replies.${randomUUID()}`;

  private state: 'created' | 'started' | 'closing' | 'closed' = 'created';
  private readonly logs = new Map<string, PartitionLog[]>();
  private readonly consumers = new Map<string, PartitionConsumer[]>();
  private readonly subscriptions = new Set<string>();
  private readonly pending = new PendingReplies();
  private readonly sleeps = new CancellableSleeps();
  private readonly delivery: MessageDelivery;
  /** Consumers scheduled or running, plus replies on their way: zero means drained. */
  private busy = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: InMemoryMessageBusOptions = {}) {
    super();
    this.partitionCount = options.partitions ?? 3;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.keyConcurrency = options.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY;
    this.logger = options.logger ?? defaultBusLogger(InMemoryMessageBus.name);
    this.delivery = new MessageDelivery(
      options.retry ?? DEFAULT_RETRY,
      this.metrics,
      this.logger,
      this.sleeps,
    );
    if (!Number.isInteger(this.partitionCount) || this.partitionCount < 1) {
      throw new Error(`partitions must be a positive integer, got ${this.partitionCount}`);
    }
  }

  async publish<C extends EventContract>(
    contract: C,
    data: EventData<C>,
    options: PublishOptions,
  ): Promise<Envelope<EventData<C>>> {
    this.assertOpen('publish');
    const valid = validateMessage(contract.schema, data, contract.topic, 'send') as EventData<C>;
    const envelope = newEnvelope(contract, valid, options);
    this.append(contract.topic, {
      key: envelope.key,
      value: JSON.stringify(envelope),
      headers: {},
    });
    return envelope;
  }

  subscribe<C extends EventContract>(
    contract: C,
    group: string,
    handler: EventHandler<EventData<C>>,
  ): void {
    this.addConsumers(
      contract.topic,
      group,
      this.delivery.eventProcessor(contract, group, handler as EventHandler<unknown>),
    );
  }

  async request<C extends RequestContract>(
    contract: C,
    payload: RequestOf<C>,
    options: RequestOptions = {},
  ): Promise<ResponseOf<C>> {
    this.assertOpen('request');
    return timedRequest(this.metrics, contract, () => {
      const valid = validateMessage(contract.request, payload, contract.topic, 'send');
      const envelope = requestEnvelope(contract, valid, options);
      const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
      const reply = this.pending.wait(envelope.id, contract.topic, timeoutMs);
      this.append(contract.topic, {
        key: envelope.key,
        value: JSON.stringify(envelope),
        headers: { 'reply-to': this.replyAddress, 'request-id': envelope.id },
      });
      return reply;
    });
  }

  answer<C extends RequestContract>(
    contract: C,
    handler: RequestHandler<RequestOf<C>, ResponseOf<C>>,
  ): void {
    this.addConsumers(
      contract.topic,
      contract.owner,
      this.delivery.requestProcessor(contract, handler as RequestHandler<unknown, unknown>),
    );
  }

  onDeadLetter(topic: string, group: string, handler: (letter: DeadLetter) => Promise<void>): void {
    const dlq = deadLetterTopic(topic);
    this.addConsumers(dlq, group, this.delivery.deadLetterProcessor(dlq, group, handler));
  }

  async start(): Promise<void> {
    if (this.state === 'started') return;
    if (this.state !== 'created')
      throw new Error(`The in-memory bus cannot start once ${this.state}`);
    this.state = 'started';
    for (const consumers of this.consumers.values()) consumers.forEach((c) => this.schedule(c));
  }

  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return this.whenIdle();
    this.state = 'closing';
    this.pending.rejectAll();
    this.sleeps.cancelAll();
    await this.whenIdle();
    this.state = 'closed';
  }

  async drain(): Promise<void> {
    if (this.state !== 'started')
      throw new Error(`drain() needs a started bus (it is ${this.state})`);
    return this.whenIdle();
  }

  async health(): Promise<BusHealth> {
    return this.state === 'started'
      ? {
          up: true,
          detail: `in-memory bus, ${this.logs.size} topics, ${this.subscriptions.size} subscriptions`,
        }
      : { up: false, detail: `in-memory bus is ${this.state}` };
  }

  /**
   * Test-only: appends a raw value to a topic, bypassing validation and serialization, to show
   * what consumers do with a message that is not JSON or breaks its contract.
   */
  publishRaw(topic: string, key: string, value: string): void {
    this.append(topic, { key, value, headers: {} });
  }

  /** Stable partition of a key: FNV-1a hash of its UTF-8 bytes, mod the partition count. */
  partitionOf(key: string): number {
    let hash = 0x811c9dc5;
    for (const byte of Buffer.from(key, 'utf8')) {
      hash ^= byte;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % this.partitionCount;
  }

  // --- log and consumers -------------------------------------------------------------------

  private assertOpen(operation: string): void {
    if (this.state === 'closing' || this.state === 'closed') {
      throw new Error(`Cannot ${operation}: the bus is ${this.state}`);
    }
  }

  private partitionsOf(topic: string): PartitionLog[] {
    let partitions = this.logs.get(topic);
    if (!partitions) {
      partitions = Array.from({ length: this.partitionCount }, () => ({ base: 0, records: [] }));
      this.logs.set(topic, partitions);
    }
    return partitions;
  }

  private append(topic: string, record: StoredRecord): void {
    const partition = this.partitionOf(record.key);
    const log = this.partitionsOf(topic)[partition];
    log.records.push(record);
    const consumers = this.consumers.get(topic) ?? [];
    if (consumers.length === 0 && log.records.length > UNCONSUMED_RETENTION) {
      log.records.shift();
      log.base++;
    }
    for (const consumer of consumers) {
      if (consumer.partition === partition) this.schedule(consumer);
    }
  }

  private addConsumers(topic: string, group: string, process: RecordProcessor): void {
    const id = `${topic} / ${group}`;
    if (this.subscriptions.has(id)) throw duplicateHandlerError(group, topic);
    this.subscriptions.add(id);
    const consumers = this.consumers.get(topic) ?? [];
    this.consumers.set(topic, consumers);
    this.partitionsOf(topic).forEach((log, partition) => {
      const consumer: PartitionConsumer = {
        topic,
        group,
        partition,
        offset: log.base,
        state: 'idle',
        process,
      };
      consumers.push(consumer);
      this.schedule(consumer);
    });
  }

  /** Delivery is always asynchronous: the consumer runs on a later turn of the event loop. */
  private schedule(consumer: PartitionConsumer): void {
    if (this.state !== 'started' || consumer.state !== 'idle') return;
    consumer.state = 'scheduled';
    this.busy++;
    setImmediate(() => void this.consume(consumer));
  }

  private async consume(consumer: PartitionConsumer): Promise<void> {
    consumer.state = 'running';
    const log = this.partitionsOf(consumer.topic)[consumer.partition];
    try {
      while (this.state === 'started') {
        // What a Kafka fetch would return: the records appended so far, a bounded run of them.
        const start = consumer.offset - log.base;
        const run = log.records.slice(start, start + RUN_LENGTH_PER_KEY * this.keyConcurrency);
        if (run.length === 0) break;
        const { completed } = await handleInKeyOrder(
          run,
          (record) => record.key,
          async (record) => {
            if (this.state !== 'started') return false;
            const outcome = await consumer.process(this.inbound(record)).catch((error: unknown) => {
              this.logger.error(
                `Bug: processing a record of ${consumer.topic} threw ${describeError(error)}`,
              );
              return 'done' as const;
            });
            return outcome === 'done';
          },
          this.keyConcurrency,
        );
        consumer.offset += completed;
        if (completed < run.length) break;
      }
    } finally {
      consumer.state = 'idle';
      this.trim(consumer.topic, consumer.partition);
      this.release();
    }
  }

  /** Drops records every group of the topic has handled. */
  private trim(topic: string, partition: number): void {
    const log = this.partitionsOf(topic)[partition];
    const offsets = (this.consumers.get(topic) ?? [])
      .filter((c) => c.partition === partition)
      .map((c) => c.offset);
    const consumed = Math.min(...offsets) - log.base;
    if (offsets.length > 0 && consumed > 0) {
      log.records.splice(0, consumed);
      log.base += consumed;
    }
  }

  private release(): void {
    this.busy--;
    if (this.busy === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }

  private whenIdle(): Promise<void> {
    return this.busy === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // --- records ------------------------------------------------------------------------------

  /** A stored record as the shared delivery logic sees it: dead letters and replies stay here. */
  private inbound(record: StoredRecord): InboundRecord {
    return {
      value: record.value,
      sendDeadLetter: (letter) =>
        this.append(deadLetterTopic(letter.topic), {
          key: record.key,
          value: JSON.stringify(letter),
          headers: {},
        }),
      sendReply: (reply) =>
        this.reply(record.headers['reply-to'], record.headers['request-id'], reply),
    };
  }

  /** Sends a reply to the caller's address; it arrives on a later turn, as JSON. */
  private reply(
    replyTo: string | undefined,
    requestId: string | undefined,
    reply: ReplyMessage,
  ): void {
    if (replyTo !== this.replyAddress || !requestId) {
      this.logger.warn(
        `Reply to ${replyTo ?? '(no address)'} dropped: no such caller in this process`,
      );
      return;
    }
    const value = JSON.stringify(reply);
    this.busy++;
    setImmediate(() => {
      this.pending.deliver(requestId, value, this.replyAddress);
      this.release();
    });
  }
}
