import {
  ALL_CONTRACTS,
  deadLetterTopic,
  validateMessage,
  type Envelope,
  type EventContract,
  type EventData,
  type RequestContract,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { busMetrics } from './bus-metrics';
import {
  CancellableSleeps,
  defaultBusLogger,
  describeError,
  newEnvelope,
  requestEnvelope,
  timedRequest,
  type BusLogger,
} from './bus-support';
import { KafkaConsumerGroups } from './kafka-consumer-groups';
import { KafkaConsumerSupervisor } from './kafka-consumer-supervisor';
import { kafkaRecordHandler } from './kafka-inbound';
import { retryWithBackoff, type KafkaBusLifecycle, type KafkaBusState } from './kafka-lifecycle';
import { COMMIT_INTERVAL_MS } from './kafka-offset-commits';
import { KafkaProducer } from './kafka-producer';
import { envelopeRecord, replyTopicName, unreachableDetail } from './kafka-records';
import { KafkaReplyChannel } from './kafka-reply-channel';
import { KafkaTopicAdmin } from './kafka-topic-admin';
import { DEFAULT_KEY_CONCURRENCY } from './key-ordered';
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
import { MessageDelivery, type RecordProcessor } from './message-delivery';

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
   * time, in order. Default DEFAULT_KEY_CONCURRENCY.
   */
  keyConcurrency?: number;
  logger?: BusLogger;
  /** Builds the kafkajs client; tests pass a fake. Default `new Kafka(config)`. */
  createKafka?: (config: KafkaConfig) => Kafka;
}

/**
 * The bus on Apache Kafka (kafkajs, not Nest's transport): our own retry limit and dead-letter
 * topic, so a failing handler never blocks its partition. Topics (and `.dlq` twins) are created
 * up front with BUS_PARTITIONS partitions; replies come back on a topic owned by this instance.
 *
 * This class is the facade: the port, the connection lifecycle (connect, reconnect in the
 * background, close in order) and the wiring. The work is done by its parts: KafkaProducer
 * (coalesced sends), KafkaConsumerGroups (key-ordered batches, offsets, drain), KafkaReplyChannel
 * (the caller's half of request/reply), KafkaTopicAdmin, KafkaConsumerSupervisor (restarts of
 * dead consumers), and MessageDelivery (what happens to a message, shared with the in-memory bus).
 */
export class KafkaMessageBus extends MessageBus {
  private readonly logger: BusLogger;
  private readonly metrics = busMetrics();
  private readonly sleeps = new CancellableSleeps();
  private readonly lifecycle: KafkaBusLifecycle = {
    state: () => this.state,
    sleeps: this.sleeps,
  };
  private readonly namespace: string;
  private readonly admin: KafkaTopicAdmin;
  private readonly producer: KafkaProducer;
  private readonly supervisor: KafkaConsumerSupervisor;
  private readonly groups: KafkaConsumerGroups;
  private readonly replies: KafkaReplyChannel;
  private readonly delivery: MessageDelivery;
  private commitTimer?: NodeJS.Timeout;
  private state: KafkaBusState = 'created';
  private problem = 'not started';
  private reconnecting?: Promise<void>;

  constructor(private readonly options: KafkaMessageBusOptions) {
    super();
    if (options.brokers.length === 0) throw new Error('KafkaMessageBus needs at least one broker');
    this.logger = options.logger ?? defaultBusLogger(KafkaMessageBus.name);
    this.namespace = options.namespace ?? '';
    const kafka = (options.createKafka ?? ((config) => new Kafka(config)))({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3_000,
      // Few quick retries per attempt: start() awaits the first attempt, later ones run in the background.
      retry: { retries: 2, initialRetryTime: 200 },
      // Our own logs say what matters (connection state, retries, dead letters).
      logLevel: logLevel.NOTHING,
    });
    this.admin = new KafkaTopicAdmin(kafka, options.partitions, this.lifecycle);
    this.producer = new KafkaProducer(kafka);
    this.supervisor = new KafkaConsumerSupervisor(
      kafka,
      this.lifecycle,
      this.logger,
      options.sessionTimeoutMs,
    );
    this.groups = new KafkaConsumerGroups({
      admin: this.admin,
      supervisor: this.supervisor,
      lifecycle: this.lifecycle,
      logger: this.logger,
      physical: (name) => this.physical(name),
      partitions: options.partitions,
      keyConcurrency: options.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY,
    });
    this.replies = new KafkaReplyChannel(
      this.physical(replyTopicName(options.clientId)),
      this.producer,
      this.supervisor,
    );
    this.delivery = new MessageDelivery(options.retry, this.metrics, this.logger, this.sleeps);
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
    await this.admin.ensure(topic);
    await this.producer.send(topic, envelopeRecord(envelope));
    return envelope;
  }

  subscribe<C extends EventContract>(
    contract: C,
    group: string,
    handler: EventHandler<EventData<C>>,
  ): void {
    this.consume(
      group,
      contract.topic,
      this.delivery.eventProcessor(contract, group, handler as EventHandler<unknown>),
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
      await this.admin.ensure(topic);
      const envelope = requestEnvelope(contract, valid, options);
      const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
      return this.replies.exchange(topic, contract.topic, envelope, timeoutMs);
    });
  }

  answer<C extends RequestContract>(
    contract: C,
    handler: RequestHandler<RequestOf<C>, ResponseOf<C>>,
  ): void {
    this.consume(
      contract.owner,
      contract.topic,
      this.delivery.requestProcessor(contract, handler as RequestHandler<unknown, unknown>),
    );
  }

  onDeadLetter(topic: string, group: string, handler: (letter: DeadLetter) => Promise<void>): void {
    const dlq = deadLetterTopic(topic);
    this.consume(group, dlq, this.delivery.deadLetterProcessor(dlq, group, handler));
  }

  /**
   * Connects and creates topics. If Kafka cannot be reached it does not throw: it keeps trying in
   * the background, and health() says what it cannot reach, so an app started alone still comes up.
   */
  async start(): Promise<void> {
    if (this.state !== 'created') return;
    this.state = 'connecting';
    if (!(await this.connect())) {
      this.reconnecting = retryWithBackoff(
        this.lifecycle,
        () => this.state === 'connecting',
        () => this.connect(),
      );
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.sleeps.cancelAll();
    clearInterval(this.commitTimer);
    this.groups.wakeDrainers();
    this.replies.rejectWaiting();
    await this.reconnecting;
    await this.supervisor.settled();
    // What is done is committed now; batches still in flight commit as they end, before
    // disconnect() leaves the group.
    await this.groups.commitAll();
    await Promise.allSettled([this.groups.disconnectAll(), this.replies.disconnect()]);
    await this.admin.deleteTopic(this.replies.topic);
    await this.producer.idle(); // replies and events of the last handlers go out before the producer closes
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    this.state = 'closed';
  }

  /**
   * Resolves when this process has handled every record of its consumed topics, including those
   * its handlers published meanwhile (tests; assumes this process holds all partitions of its
   * groups).
   */
  async drain(): Promise<void> {
    this.assertUp('drain');
    await this.groups.drain();
  }

  async health(): Promise<BusHealth> {
    if (this.state === 'up') {
      return { up: true, detail: `connected to Kafka at ${this.options.brokers.join(',')}` };
    }
    if (this.state === 'connecting') return { up: false, detail: this.problem };
    return { up: false, detail: `Kafka bus is ${this.state}` };
  }

  /** One attempt to connect everything; false (and the reason in health()) if Kafka is away. */
  private async connect(): Promise<boolean> {
    try {
      await this.admin.connect();
      const topics = new Set<string>(ALL_CONTRACTS.map((c) => this.physical(c.topic)));
      for (const topic of this.groups.topics()) topics.add(topic);
      await this.admin.createAtStart(topics, this.replies.topic);
      await this.producer.connect();
      await this.replies.start();
      await this.groups.startAll();
      if (this.state !== 'connecting') return true;
      this.state = 'up';
      this.problem = '';
      this.commitTimer ??= setInterval(
        () => void Promise.all([this.groups.commitAll(), this.replies.commit()]),
        COMMIT_INTERVAL_MS,
      ).unref();
      this.logger.log(`Connected to Kafka at ${this.options.brokers.join(',')}`);
      return true;
    } catch (error) {
      this.problem = unreachableDetail(this.options.brokers, describeError(error));
      this.logger.error(`${this.problem}; retrying in the background`);
      return false;
    }
  }

  /** Registers the shared processing of a contract's topic in a group, on its physical topic. */
  private consume(group: string, logicalTopic: string, processor: RecordProcessor): void {
    this.groups.add(
      group,
      this.physical(logicalTopic),
      kafkaRecordHandler(processor, logicalTopic, {
        producer: this.producer,
        physical: (name) => this.physical(name),
        logger: this.logger,
      }),
    );
  }

  private assertUp(operation: string): void {
    if (this.state === 'up') return;
    throw new Error(
      `Cannot ${operation}: ${this.state === 'connecting' ? this.problem : `the Kafka bus is ${this.state}`}`,
    );
  }

  /** The topic or group name on the cluster: the namespace, then the contract's name. */
  private physical(name: string): string {
    return this.namespace + name;
  }
}
