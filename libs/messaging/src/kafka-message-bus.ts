import {
  ALL_CONTRACTS,
  ContractViolation,
  deadLetterTopic,
  validateMessage,
  type Envelope,
  type EventContract,
  type EventData,
  type RequestContract,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import {
  Kafka,
  logLevel,
  type Admin,
  type Consumer,
  type ConsumerConfig,
  type ConsumerRunConfig,
  type EachBatchPayload,
  type KafkaConfig,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import { busMetrics } from './bus-metrics';
import { CoalescingSender } from './coalescing-sender';
import { DEFAULT_KEY_CONCURRENCY, handleInKeyOrder, type KeyOrderedOutcome } from './key-ordered';
import {
  answerOnce,
  buildDeadLetter,
  decodeEnvelope,
  defaultBusLogger,
  deliverWithRetries,
  describeError,
  invalidRequest,
  newEnvelope,
  randomKey,
  retryDelay,
  type BusLogger,
  type ReplyMessage,
  CancellableSleeps,
  awaitReply,
  timedRequest,
  type PendingRequest,
} from './bus-support';
import {
  HEADER,
  deadLetterRecord,
  envelopeRecord,
  readHeaders,
  replyTopicName,
  topicConfigs,
  unreachableDetail,
} from './kafka-records';
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

export interface KafkaMessageBusOptions {
  brokers: string[];
  clientId: string;
  /** Partitions of every topic the bus creates (BUS_PARTITIONS). */
  partitions: number;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  /**
   * Prefix of every topic and consumer group this bus uses (KAFKA_NAMESPACE), so several stores
   * (test runs, environments) can share one cluster without reading each other's messages.
   */
  namespace?: string;
  /**
   * How long the broker waits for a silent group member before giving its partitions to the
   * others (BUS_SESSION_TIMEOUT_MS): the bound on how long a crashed process's partitions stall.
   * kafkajs's 30 s default made a killed service unreachable for ~30 s. Default 10 s.
   */
  sessionTimeoutMs?: number;
  /**
   * Keys handled at once per partition (BUS_KEY_CONCURRENCY); records of one key stay one at a
   * time, in order. Default 16.
   */
  keyConcurrency?: number;
  logger?: BusLogger;
  /** Builds the kafkajs client; tests pass a fake. Default `new Kafka(config)`. */
  createKafka?: (config: KafkaConfig) => Kafka;
}

/** What a processor may ask of the consumer while it handles a record. */
interface RecordContext {
  /** Tells the group this member is alive (throttled by kafkajs); for long retry waits. */
  heartbeat: () => Promise<void>;
  /**
   * Work the record's offset waits for but the next record of its key does not: a request's
   * reply on its way to the broker. If it fails, the offset stays before the record.
   */
  settleLater: (work: Promise<unknown>) => void;
}

/** Handles one record of a topic for one group; throws only to leave the offset uncommitted. */
type Processor = (message: KafkaMessage, context: RecordContext) => Promise<void>;

interface Group {
  name: string;
  handlers: Map<string, Processor>;
  consumer?: Consumer;
  /** `topic|partition` of the partitions the group gave this member at its last join. */
  assignment: Set<string>;
  /** Next offset committed, per `topic|partition`. */
  committed: Map<string, number>;
  /** When this group last sent a commit (epoch ms); 0 before the first. */
  lastCommitAt: number;
}

/** Thrown out of a handler loop when the bus closes during a retry wait: the offset stays put. */
class ClosingError extends Error {
  constructor() {
    super('The bus is closing; the message will be redelivered after restart');
  }
}

/** Backoff of connecting and of restarting a dead consumer: doubling from the first to the max. */
const RECONNECT_FIRST_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
/**
 * Longest a consumer's fetch waits on an idle partition. kafkajs's default (5 s) is also how long
 * disconnect() waits for that fetch, so it would make every graceful shutdown take 5 s.
 */
const FETCH_MAX_WAIT_MS = 1_000;
/**
 * How often consumers commit what they have handled (groups also commit on close, and a batch
 * commits when the group's last commit is this old). kafkajs's
 * auto-commit commits after every batch, a broker round trip between two fetches, so on the
 * path of every request: measured at 100 req/s, the round trip's median fell from ~27 to ~10 ms
 * without it. A crash or rebalance redelivers up to this much; every consumer is idempotent.
 */
const COMMIT_INTERVAL_MS = 1_000;

/**
 * Commits the next offset to read of each `topic|partition` whose position moved past what
 * `committed` holds, and records it there. A failure (a rebalance, a broker away) is left to the
 * next tick, or to the new owner of a moved partition.
 */
async function commitMoved(
  consumer: Consumer | undefined,
  positions: readonly [string, number][],
  committed: Map<string, number>,
): Promise<void> {
  const moved = positions.filter(([key, next]) => next > (committed.get(key) ?? -1));
  if (!consumer || moved.length === 0) return;
  try {
    await consumer.commitOffsets(
      moved.map(([key, next]) => {
        const [topic, partition] = key.split('|');
        return { topic, partition: Number(partition), offset: String(next) };
      }),
    );
    for (const [key, next] of moved) committed.set(key, next);
  } catch {
    // The next tick tries again.
  }
}

/** kafkajs marks errors a client should retry (e.g. a partition whose leader is still moving in). */
function isRetriable(error: unknown): boolean {
  return (error as { retriable?: unknown } | null)?.retriable === true;
}

/**
 * The bus on Apache Kafka (kafkajs, not Nest's transport): our own retry limit and dead-letter
 * topic, so a failing handler never blocks its partition. Topics (and `.dlq` twins) are created
 * up front with BUS_PARTITIONS partitions; replies come back on a topic owned by this instance.
 */
export class KafkaMessageBus extends MessageBus {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly producer: Producer;
  /** Every send goes through it: concurrent sends share one produce request. */
  private readonly sender: CoalescingSender;
  private readonly logger: BusLogger;
  private readonly metrics = busMetrics();
  private readonly replyTopic: string;
  private readonly groups = new Map<string, Group>();
  private readonly pending = new Map<string, PendingRequest>();
  private readonly sleeps = new CancellableSleeps();
  /** Topics known to exist (created or confirmed by this bus), so producing never hits a missing one. */
  private readonly topics = new Map<string, Promise<void>>();
  /** Next offset handled by this process, per `group|topic|partition` (for drain). */
  private readonly progress = new Map<string, number>();
  private progressWaiters: (() => void)[] = [];
  private replyConsumer?: Consumer;
  /** Next offset of the reply topic to read, and what was last committed of it. */
  private replyPosition?: number;
  private readonly replyCommitted = new Map<string, number>();
  private commitTimer?: NodeJS.Timeout;
  private state: 'created' | 'connecting' | 'up' | 'closing' | 'closed' = 'created';
  private problem = 'not started';
  private reconnecting?: Promise<void>;
  /** Restart loops of dead consumers, by `group:<name>` or `reply`: one per consumer at a time. */
  private readonly restarts = new Map<string, Promise<void>>();

  private readonly namespace: string;

  constructor(private readonly options: KafkaMessageBusOptions) {
    super();
    if (options.brokers.length === 0) throw new Error('KafkaMessageBus needs at least one broker');
    this.logger = options.logger ?? defaultBusLogger(KafkaMessageBus.name);
    this.namespace = options.namespace ?? '';
    this.replyTopic = this.physical(replyTopicName(options.clientId));
    this.kafka = (options.createKafka ?? ((config) => new Kafka(config)))({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3_000,
      // Few quick retries per attempt: start() awaits the first attempt, later ones run in the background.
      retry: { retries: 2, initialRetryTime: 200 },
      // Our own logs say what matters (connection state, retries, dead letters).
      logLevel: logLevel.NOTHING,
    });
    this.admin = this.kafka.admin();
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 5 },
    });
    this.sender = new CoalescingSender((topicMessages) =>
      this.producer.sendBatch({ topicMessages }),
    );
  }

  async publish<C extends EventContract>(
    contract: C,
    data: EventData<C>,
    options: PublishOptions,
  ): Promise<Envelope<EventData<C>>> {
    const valid = validateMessage(contract.schema, data, contract.topic, 'send') as EventData<C>;
    this.assertUp('publish');
    const envelope = newEnvelope(contract, valid, options);
    const topic = this.physical(contract.topic);
    await this.ensureTopic(topic);
    await this.sender.send(topic, envelopeRecord(envelope));
    return envelope;
  }

  subscribe<C extends EventContract>(
    contract: C,
    group: string,
    handler: EventHandler<EventData<C>>,
  ): void {
    this.addHandler(group, contract.topic, (message, context) =>
      this.processEvent(contract, group, handler as EventHandler<unknown>, message, context),
    );
  }

  async request<C extends RequestContract>(
    contract: C,
    payload: RequestOf<C>,
    options: RequestOptions = {},
  ): Promise<ResponseOf<C>> {
    return timedRequest(this.metrics, contract, async () => {
      const valid = validateMessage(contract.request, payload, contract.topic, 'send');
      this.assertUp('request');
      const topic = this.physical(contract.topic);
      await this.ensureTopic(topic);
      const envelope = newEnvelope(contract, valid, {
        key: options.key ?? randomKey(),
        correlationId: options.correlationId,
      });
      const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
      const reply = awaitReply(this.pending, envelope.id, contract.topic, timeoutMs);
      reply.catch(() => undefined); // a send failure below must not leave an unhandled rejection
      try {
        await this.sender.send(
          topic,
          envelopeRecord(envelope, {
            [HEADER.replyTo]: this.replyTopic,
            [HEADER.requestId]: envelope.id,
          }),
        );
      } catch (error) {
        this.settle(envelope.id);
        throw error;
      }
      return reply;
    });
  }

  answer<C extends RequestContract>(
    contract: C,
    handler: RequestHandler<RequestOf<C>, ResponseOf<C>>,
  ): void {
    this.addHandler(contract.owner, contract.topic, (message, context) =>
      this.processRequest(contract, handler as RequestHandler<unknown, unknown>, message, context),
    );
  }

  onDeadLetter(topic: string, group: string, handler: (letter: DeadLetter) => Promise<void>): void {
    const dlq = deadLetterTopic(topic);
    this.addHandler(group, dlq, (message, context) =>
      this.processDeadLetter(dlq, group, handler, message, context),
    );
  }

  /**
   * Connects and creates topics. If Kafka cannot be reached it does not throw: it keeps trying in
   * the background, and health() says what it cannot reach, so an app started alone still comes up.
   */
  async start(): Promise<void> {
    if (this.state !== 'created') return;
    this.state = 'connecting';
    if (!(await this.connect())) this.reconnecting = this.keepConnecting();
  }

  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.sleeps.cancelAll();
    clearInterval(this.commitTimer);
    this.wakeDrainers();
    for (const [id, request] of this.pending) {
      clearTimeout(request.timer);
      request.reject(new Error(`The bus closed before a reply to request ${id} arrived`));
    }
    this.pending.clear();
    await this.reconnecting;
    await Promise.allSettled([...this.restarts.values()]);
    // What is done is committed now; batches still in flight commit as they end (processBatch),
    // before disconnect() leaves the group.
    await Promise.allSettled([...this.groups.values()].map((group) => this.commitGroup(group)));
    const consumers = [...this.groups.values()].map((g) => g.consumer).concat(this.replyConsumer);
    await Promise.allSettled(consumers.map((consumer) => consumer?.disconnect()));
    await this.admin.deleteTopics({ topics: [this.replyTopic] }).catch(() => undefined);
    await this.sender.idle(); // replies and events of the last handlers go out before the producer closes
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    this.state = 'closed';
  }

  /**
   * Resolves when this process has handled every record of its consumed topics, including those
   * its handlers published meanwhile (tests; assumes this process holds all partitions of its
   * groups): drains up to the current end offsets, and again while those ends moved.
   */
  async drain(): Promise<void> {
    this.assertUp('drain');
    for (let previous = -1, ends = await this.drainToCurrentEnds(); ends !== previous;) {
      previous = ends;
      ends = await this.drainToCurrentEnds();
    }
  }

  /** Waits until every record up to the end offsets read now is handled; returns their sum. */
  private async drainToCurrentEnds(): Promise<number> {
    const targets: {
      key: string;
      group: string;
      topic: string;
      partition: number;
      high: number;
    }[] = [];
    for (const [group, { handlers }] of this.groups) {
      const committed = await this.retryTransient(() =>
        this.admin.fetchOffsets({ groupId: this.physical(group), topics: [...handlers.keys()] }),
      );
      for (const topic of handlers.keys()) {
        const offsets = await this.retryTransient(() => this.admin.fetchTopicOffsets(topic));
        for (const { partition, high } of offsets) {
          const key = `${group}|${topic}|${partition}`;
          const done = committed
            .find((t) => t.topic === topic)
            ?.partitions.find((p) => p.partition === partition);
          const floor = Number(done?.offset ?? -1);
          if (floor > (this.progress.get(key) ?? -1)) this.progress.set(key, floor);
          targets.push({ key, group, topic, partition, high: Number(high) });
        }
      }
    }
    const drained = () =>
      targets.every((t) => t.high === 0 || (this.progress.get(t.key) ?? -1) >= t.high);
    while (!drained()) {
      if (this.state !== 'up') throw new Error(`drain() interrupted: the bus is ${this.state}`);
      await new Promise<void>((resolve) => this.progressWaiters.push(resolve));
    }
    return targets.reduce((sum, t) => sum + t.high, 0);
  }

  async health(): Promise<BusHealth> {
    if (this.state === 'up') {
      return { up: true, detail: `connected to Kafka at ${this.options.brokers.join(',')}` };
    }
    if (this.state === 'connecting') return { up: false, detail: this.problem };
    return { up: false, detail: `Kafka bus is ${this.state}` };
  }

  // --- connection ----------------------------------------------------------------------------

  private async connect(): Promise<boolean> {
    try {
      await this.admin.connect();
      const topics = new Set<string>(ALL_CONTRACTS.map((c) => this.physical(c.topic)));
      for (const { handlers } of this.groups.values()) {
        for (const topic of handlers.keys())
          topics.add(topic.endsWith('.dlq') ? topic.slice(0, -4) : topic);
      }
      const configs = topicConfigs(topics, this.options.partitions);
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: [...configs, { topic: this.replyTopic, numPartitions: 1 }],
      });
      for (const { topic } of configs) this.topics.set(topic, Promise.resolve());
      await this.producer.connect();
      await this.startReplyConsumer();
      for (const group of this.groups.values()) {
        if (!group.consumer) group.consumer = await this.runGroup(group);
      }
      if (this.state !== 'connecting') return true;
      this.state = 'up';
      this.problem = '';
      this.commitTimer ??= setInterval(() => void this.commitAll(), COMMIT_INTERVAL_MS).unref();
      this.logger.log(`Connected to Kafka at ${this.options.brokers.join(',')}`);
      return true;
    } catch (error) {
      this.problem = unreachableDetail(this.options.brokers, describeError(error));
      this.logger.error(`${this.problem}; retrying in the background`);
      return false;
    }
  }

  private keepConnecting(): Promise<void> {
    return this.withBackoff(
      () => this.state === 'connecting',
      () => this.connect(),
    );
  }

  /**
   * Repeats `attempt` after doubling waits (RECONNECT_FIRST_MS up to RECONNECT_MAX_MS) until it
   * succeeds or `keepGoing` says stop; closing the bus cuts a wait short and ends the loop.
   */
  private async withBackoff(
    keepGoing: () => boolean,
    attempt: () => Promise<boolean>,
  ): Promise<void> {
    for (
      let delay = RECONNECT_FIRST_MS;
      keepGoing();
      delay = Math.min(delay * 2, RECONNECT_MAX_MS)
    ) {
      if (!(await this.sleep(delay))) return;
      if (await attempt()) return;
    }
  }

  private async startReplyConsumer(): Promise<void> {
    if (!this.replyConsumer) this.replyConsumer = await this.runReplyConsumer();
  }

  /** The commit timer's tick: every group, and the reply consumer's position. */
  private async commitAll(): Promise<void> {
    const replyPartition = `${this.replyTopic}|0`;
    await Promise.all([
      ...[...this.groups.values()].map((group) => this.commitGroup(group)),
      commitMoved(
        this.replyConsumer,
        this.replyPosition === undefined ? [] : [[replyPartition, this.replyPosition]],
        this.replyCommitted,
      ),
    ]);
  }

  /** Commits the partitions assigned to this member (at its last join) whose offset moved. */
  private commitGroup(group: Group): Promise<void> {
    group.lastCommitAt = Date.now();
    const positions = [...group.assignment].flatMap((assigned): [string, number][] => {
      const next = this.progress.get(`${group.name}|${assigned}`);
      return next === undefined ? [] : [[assigned, next]];
    });
    return commitMoved(group.consumer, positions, group.committed);
  }

  private runReplyConsumer(): Promise<Consumer> {
    return this.runConsumer(
      `the reply topic ${this.replyTopic}`,
      { groupId: this.replyTopic, maxWaitTimeInMs: FETCH_MAX_WAIT_MS, ...this.membership() },
      [this.replyTopic],
      {
        autoCommit: false, // committed once a second (COMMIT_INTERVAL_MS)
        eachMessage: async ({ message }) => {
          this.replyPosition = Number(message.offset) + 1;
          const requestId = readHeaders(message.headers)[HEADER.requestId];
          const request = requestId ? this.pending.get(requestId) : undefined;
          if (!request || !requestId) return;
          this.settle(requestId);
          try {
            request.resolve(JSON.parse(message.value?.toString('utf8') ?? '') as ReplyMessage);
          } catch (error) {
            request.reject(
              new Error(`Unreadable reply on ${this.replyTopic}: ${describeError(error)}`),
            );
          }
        },
      },
      (dead) => {
        if (this.replyConsumer !== dead) return;
        this.restartConsumer('reply', `the reply topic ${this.replyTopic}`, dead, async () => {
          this.replyConsumer = await this.runReplyConsumer();
        });
      },
    );
  }

  /** Group membership timing: heartbeats a tenth of the session, as Kafka recommends (≤ 1/3). */
  private membership(): { sessionTimeout: number; heartbeatInterval: number } {
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    return { sessionTimeout, heartbeatInterval: Math.max(100, Math.floor(sessionTimeout / 10)) };
  }

  /**
   * One kafkajs consumer per group; partitions are consumed concurrently, and within a partition
   * up to `keyConcurrency` keys at once, each key's records one at a time (handleInKeyOrder).
   */
  private runGroup(group: Group): Promise<Consumer> {
    return this.runConsumer(
      `group ${group.name}`,
      {
        groupId: this.physical(group.name),
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
        ...this.membership(),
      },
      [...group.handlers.keys()],
      {
        partitionsConsumedConcurrently: this.options.partitions,
        // Offsets move only up to the last record done with none undone before it, and are
        // committed once a second and on close (COMMIT_INTERVAL_MS), not after every batch.
        eachBatchAutoResolve: false,
        autoCommit: false,
        eachBatch: (payload) => this.processBatch(group, payload),
      },
      (dead) => this.restartGroup(group, dead),
      (consumer) =>
        consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
          group.assignment = new Set(
            Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
              partitions.map((partition) => `${topic}|${partition}`),
            ),
          );
        }),
    );
  }

  private async processBatch(
    group: Group,
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
  ): Promise<void> {
    const process = group.handlers.get(batch.topic);
    const later = new Map<KafkaMessage, Promise<unknown>[]>();
    const handled = await handleInKeyOrder(
      batch.messages,
      (message) => message.key?.toString('utf8'),
      async (message) => {
        // After a rebalance or during shutdown the batch is no longer this member's to handle.
        if (!isRunning() || isStale()) return false;
        const settleLater = (work: Promise<unknown>) => {
          work.catch(() => undefined); // judged below, in offset order
          later.set(message, [...(later.get(message) ?? []), work]);
        };
        if (process) await process(message, { heartbeat, settleLater });
        await heartbeat();
        return true;
      },
      this.options.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY,
    );
    const { completed, error } = await settledPrefix(batch.messages, handled, later);
    if (completed > 0) {
      const last = batch.messages[completed - 1].offset;
      resolveOffset(last);
      this.progress.set(`${group.name}|${batch.topic}|${batch.partition}`, Number(last) + 1);
      this.wakeDrainers();
      // A batch commits too when the last commit is a tick old (the first batch at once), so a
      // fresh member's progress is on the broker without waiting for the timer's phase. Not
      // awaited: the next fetch does not wait for it.
      if (Date.now() - group.lastCommitAt >= COMMIT_INTERVAL_MS) void this.commitGroup(group);
    }
    // Closing: commit while this member is still in the group (disconnect() leaves it next).
    if (this.state === 'closing') await this.commitGroup(group);
    if (error) throw error;
  }

  private restartGroup(group: Group, dead: Consumer | undefined): void {
    if (group.consumer !== dead) return; // replaced meanwhile (resubscribe)
    this.restartConsumer(`group:${group.name}`, `group ${group.name}`, dead, async () => {
      group.consumer = await this.runGroup(group);
    });
  }

  /**
   * Connects, subscribes and runs a consumer, watching for crashes. kafkajs restarts a crashed
   * consumer itself only after a retriable error; after any other (e.g. "Failed to find group
   * coordinator" from a broker starved of CPU) it leaves it stopped for good, and `onDeath` must
   * bring it back. A crash while starting fails the start instead, since kafkajs's run() resolves
   * even when joining the group failed; the caller tries again.
   */
  private async runConsumer(
    what: string,
    config: ConsumerConfig,
    topics: string[],
    run: ConsumerRunConfig,
    onDeath: (dead: Consumer) => void,
    listen?: (consumer: Consumer) => void,
  ): Promise<Consumer> {
    const consumer = this.kafka.consumer(config);
    listen?.(consumer);
    const watch: { started: boolean; startFailure?: Error } = { started: false };
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.error(`Kafka consumer of ${what} crashed: ${describeError(payload.error)}`);
      if (payload.restart) return; // kafkajs starts it again itself
      if (watch.started) onDeath(consumer);
      else watch.startFailure = payload.error;
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run(run);
      if (watch.startFailure) throw watch.startFailure;
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    watch.started = true;
    return consumer;
  }

  /**
   * Replaces a dead consumer, with the connection backoff, until a fresh one runs or the bus
   * closes. The fresh consumer joins the same group, so it resumes from the committed offsets.
   */
  private restartConsumer(
    key: string,
    what: string,
    dead: Consumer | undefined,
    start: () => Promise<void>,
  ): void {
    if (this.restarts.has(key) || this.state === 'closing' || this.state === 'closed') return;
    this.restarts.set(key, this.keepRestarting(key, what, dead, start));
  }

  private async keepRestarting(
    key: string,
    what: string,
    dead: Consumer | undefined,
    start: () => Promise<void>,
  ): Promise<void> {
    try {
      // Always awaits (even `undefined`), so restartConsumer has registered this loop before `finally`.
      await dead?.disconnect().catch(() => undefined);
      await this.withBackoff(
        () => this.state !== 'closing' && this.state !== 'closed',
        async () => {
          try {
            await start();
            this.logger.warn(`Restarted the Kafka consumer of ${what}, which had stopped`);
            return true;
          } catch (error) {
            this.logger.error(
              `Could not restart the Kafka consumer of ${what}: ${describeError(error)}; trying again`,
            );
            return false;
          }
        },
      );
    } finally {
      this.restarts.delete(key);
    }
  }

  /** Registers a processor for a topic (its contract name) in a group; keyed by the physical topic. */
  private addHandler(groupName: string, logicalTopic: string, process: Processor): void {
    const topic = this.physical(logicalTopic);
    const group = this.groups.get(groupName) ?? {
      name: groupName,
      handlers: new Map<string, Processor>(),
      assignment: new Set<string>(),
      committed: new Map<string, number>(),
      lastCommitAt: 0,
    };
    if (group.handlers.has(topic)) {
      throw new Error(
        `Group "${groupName}" already has a handler for ${topic}; one handler per topic and group`,
      );
    }
    group.handlers.set(topic, process);
    this.groups.set(groupName, group);
    if (this.state === 'up') void this.resubscribe(group, topic);
  }

  /** A kafkajs consumer cannot add topics while running: create the topic and restart the group. */
  private async resubscribe(group: Group, topic: string): Promise<void> {
    try {
      const base = topic.endsWith('.dlq') ? topic.slice(0, -4) : topic;
      await this.ensureTopic(base);
      await this.restarts.get(`group:${group.name}`); // one consumer per group at a time
      await group.consumer?.disconnect();
      group.consumer = undefined;
      group.consumer = await this.runGroup(group);
    } catch (error) {
      this.logger.error(
        `Could not subscribe group ${group.name} to ${topic}: ${describeError(error)}`,
      );
      if (!group.consumer) this.restartGroup(group, undefined);
    }
  }

  /**
   * Creates a topic (and its `.dlq` twin) the first time this bus produces to or consumes from it
   * outside the contracts it created at start, e.g. a request nobody answers yet. The broker does
   * not auto-create topics (MSK's default), and an auto-created topic would get the wrong partitions.
   */
  private ensureTopic(topic: string): Promise<void> {
    let created = this.topics.get(topic);
    if (!created) {
      const configs = topicConfigs([topic], this.options.partitions);
      created = this.admin.createTopics({ waitForLeaders: true, topics: configs }).then(() => {
        for (const config of configs) this.topics.set(config.topic, Promise.resolve());
      });
      created.catch(() => this.topics.delete(topic)); // try again next time
      this.topics.set(topic, created);
    }
    return created;
  }

  /** Repeats an admin call while the broker answers with a retriable error (leadership settling). */
  private async retryTransient<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (attempt >= 10 || !isRetriable(error) || this.state !== 'up') throw error;
        await this.sleep(50 * attempt);
      }
    }
  }

  private assertUp(operation: string): void {
    if (this.state === 'up') return;
    throw new Error(
      `Cannot ${operation}: ${this.state === 'connecting' ? this.problem : `the Kafka bus is ${this.state}`}`,
    );
  }

  private wakeDrainers(): void {
    const waiters = this.progressWaiters;
    this.progressWaiters = [];
    waiters.forEach((wake) => wake());
  }

  private settle(requestId: string): void {
    const request = this.pending.get(requestId);
    if (request) clearTimeout(request.timer);
    this.pending.delete(requestId);
  }

  private sleep(ms: number): Promise<boolean> {
    return this.sleeps.sleep(ms);
  }

  // --- processing ----------------------------------------------------------------------------

  private async processEvent(
    contract: EventContract,
    group: string,
    handler: EventHandler<unknown>,
    message: KafkaMessage,
    { heartbeat }: RecordContext,
  ): Promise<void> {
    const raw = message.value?.toString('utf8') ?? '';
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(raw, contract, contract.schema);
    } catch (error) {
      return this.deadLetter(
        message,
        buildDeadLetter(contract.topic, group, 1, describeError(error), raw),
      );
    }
    const result = await deliverWithRetries({
      topic: contract.topic,
      group,
      envelope,
      handler,
      retry: this.options.retry,
      metrics: this.metrics,
      logger: this.logger,
      wait: async (ms) => {
        await heartbeat();
        return this.sleep(ms);
      },
    });
    if (result.outcome === 'aborted') throw new ClosingError();
    if (result.outcome === 'failed') {
      await this.deadLetter(
        message,
        buildDeadLetter(contract.topic, group, result.attempts, result.reason, raw),
      );
    }
  }

  private async processRequest(
    contract: RequestContract,
    handler: RequestHandler<unknown, unknown>,
    message: KafkaMessage,
    { settleLater }: RecordContext,
  ): Promise<void> {
    const raw = message.value?.toString('utf8') ?? '';
    const headers = readHeaders(message.headers);
    let reply: ReplyMessage;
    try {
      const envelope = decodeEnvelope(raw, contract, contract.request);
      reply = await answerOnce({
        contract,
        envelope,
        handler,
        metrics: this.metrics,
        logger: this.logger,
      });
    } catch (error) {
      await this.deadLetter(
        message,
        buildDeadLetter(contract.topic, contract.owner, 1, describeError(error), raw),
      );
      if (!(error instanceof ContractViolation)) return;
      reply = { ok: false, error: invalidRequest(error) };
    }
    const replyTo = headers[HEADER.replyTo];
    const requestId = headers[HEADER.requestId];
    if (!replyTo || !requestId) {
      this.logger.warn(
        `Request on ${contract.topic} without ${HEADER.replyTo}/${HEADER.requestId}; no reply sent`,
      );
      return;
    }
    // The next request of this key need not wait for the broker's ack of this reply (measured:
    // a hot SKU's reservations, all one key, were bound by the reply's produce round trip), but
    // the offset does: a reply that never reached the broker leaves its request to be redelivered.
    settleLater(
      this.sender.send(replyTo, {
        key: requestId,
        value: JSON.stringify(reply),
        headers: { [HEADER.requestId]: requestId },
      }),
    );
  }

  private async processDeadLetter(
    topic: string,
    group: string,
    handler: (letter: DeadLetter) => Promise<void>,
    message: KafkaMessage,
    { heartbeat }: RecordContext,
  ): Promise<void> {
    let letter: DeadLetter;
    try {
      letter = JSON.parse(message.value?.toString('utf8') ?? '') as DeadLetter;
    } catch (error) {
      this.logger.error(
        `${topic} (${group}): unreadable dead letter skipped: ${describeError(error)}`,
      );
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(letter);
        this.metrics.messages.inc({ topic, group, outcome: 'handled' });
        return;
      } catch (error) {
        if (attempt >= this.options.retry.maxAttempts) {
          this.metrics.messages.inc({ topic, group, outcome: 'dead_lettered' });
          this.logger.error(
            `${topic} (${group}): dead-letter handler gave up: ${describeError(error)}; skipped`,
          );
          return;
        }
        this.metrics.messages.inc({ topic, group, outcome: 'retried' });
        await heartbeat();
        if (!(await this.sleep(retryDelay(this.options.retry, attempt)))) throw new ClosingError();
      }
    }
  }

  /** Produces the dead letter; the caller then returns, so the offset is committed and the partition moves on. */
  private async deadLetter(original: KafkaMessage, letter: DeadLetter): Promise<void> {
    this.metrics.messages.inc({
      topic: letter.topic,
      group: letter.group,
      outcome: 'dead_lettered',
    });
    this.logger.error(`${letter.topic} (${letter.group}) message dead-lettered: ${letter.reason}`);
    const { topic, message } = deadLetterRecord(
      letter,
      original.key?.toString('utf8') ?? null,
      readHeaders(original.headers),
    );
    await this.sender.send(this.physical(topic), message);
  }

  /** The topic or group name on the cluster: the namespace, then the contract's name. */
  private physical(name: string): string {
    return this.namespace + name;
  }
}

/**
 * Cuts a key-ordered run's done prefix at the first record whose deferred work (settleLater)
 * failed, once all of it has settled: the offset may move past a record only when its handler
 * and its deferred work are both done.
 */
async function settledPrefix(
  records: readonly KafkaMessage[],
  handled: KeyOrderedOutcome,
  later: ReadonlyMap<KafkaMessage, Promise<unknown>[]>,
): Promise<KeyOrderedOutcome> {
  const outcomes = new Map<KafkaMessage, PromiseSettledResult<unknown>[]>();
  await Promise.all(
    [...later].map(async ([record, works]) =>
      outcomes.set(record, await Promise.allSettled(works)),
    ),
  );
  for (let index = 0; index < handled.completed; index++) {
    const failure = outcomes.get(records[index])?.find((o) => o.status === 'rejected');
    if (failure) {
      return {
        completed: index,
        error: handled.error ?? (failure as PromiseRejectedResult).reason,
      };
    }
  }
  return handled;
}
