import { defineEvent, defineRequest } from '@mercato/contracts';
import {
  KafkaJSError,
  KafkaJSNonRetriableError,
  type ConsumerCrashEvent,
  type ConsumerRunConfig,
  type Batch,
  type Kafka,
  type Message,
  type ProducerRecord,
} from 'kafkajs';
import { z } from 'zod';
import { newEnvelope, silentBusLogger } from './bus-support';
import { KafkaMessageBus } from './kafka-message-bus';
import { HEADER, envelopeRecord } from './kafka-records';

/**
 * Without a broker only the unreachable path and, on a faked kafkajs, consumer crashes are
 * exercised here; the shared contract suite runs against a real Kafka in
 * kafka-message-bus.int-spec.ts.
 */
const ProbeHappened = defineEvent({
  type: 'test.probe.happened',
  version: 1,
  owner: 'catalog',
  schema: z.object({ n: z.number() }),
});

describe('KafkaMessageBus without a reachable broker', () => {
  it('starts anyway and reports in health() what it cannot reach', async () => {
    const bus = new KafkaMessageBus({
      brokers: ['127.0.0.1:1'],
      clientId: 'unreachable-test',
      partitions: 3,
      retry: { maxAttempts: 3, backoffMs: 1 },
      requestTimeoutMs: 1_000,
      logger: silentBusLogger,
    });

    try {
      await expect(bus.start()).resolves.toBeUndefined();

      const health = await bus.health();
      expect(health.up).toBe(false);
      expect(health.detail).toMatch(/^cannot reach Kafka at 127\.0\.0\.1:1: .+/);
      await expect(bus.publish(ProbeHappened, { n: 1 }, { key: 'k' })).rejects.toThrow(
        /^Cannot publish: cannot reach Kafka at 127\.0\.0\.1:1/,
      );
    } finally {
      await bus.close();
    }
  });
});

/**
 * kafkajs faked down to what the bus touches, so consumer crashes can be staged: each consumer
 * records its run config, and `crash()` emits the CRASH event as kafkajs does.
 */
type Startup = 'runs' | 'crashes';

class FakeConsumer {
  readonly events = { CRASH: 'consumer.crash' } as const;
  disconnected = false;
  /** Offsets committed by hand (commitOffsets), and whether run() left committing to kafkajs. */
  readonly commits: unknown[] = [];
  autoCommit?: boolean;
  /** What run() was given: the reply consumer handles records one by one, groups by batch. */
  private handlers?: Pick<ConsumerRunConfig, 'eachMessage' | 'eachBatch'>;
  private readonly crashListeners: ((event: ConsumerCrashEvent) => void)[] = [];

  constructor(
    readonly groupId: string,
    private readonly startup: Startup,
  ) {}

  on(event: string, listener: (event: ConsumerCrashEvent) => void): () => void {
    if (event === this.events.CRASH) this.crashListeners.push(listener);
    return () => undefined;
  }

  async connect(): Promise<void> {}

  async subscribe(): Promise<void> {}

  /** Like kafkajs: a failed join is reported as a crash and run() still resolves. */
  async run({ eachMessage, eachBatch, autoCommit }: ConsumerRunConfig): Promise<void> {
    if (this.startup === 'crashes') return this.crash({ restart: false });
    this.handlers = { eachMessage, eachBatch };
    this.autoCommit = autoCommit ?? true;
  }

  async commitOffsets(offsets: unknown[]): Promise<void> {
    this.commits.push(...offsets);
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  crash({ restart }: { restart: boolean }): void {
    const error = restart
      ? new KafkaJSError('The group is rebalancing', { retriable: true })
      : new KafkaJSNonRetriableError('Failed to find group coordinator');
    const event = {
      id: '0',
      type: 'crash',
      timestamp: 0,
      payload: { error, groupId: this.groupId, restart },
    };
    this.crashListeners.forEach((listener) => listener(event));
  }

  /** Offsets the bus resolved (moved its position past) in batches from deliverBatch. */
  readonly resolved: string[] = [];

  /** Delivers `records` as one batch, at offsets 0, 1, …. */
  async deliverBatch(topic: string, records: Message[]): Promise<void> {
    if (!this.handlers?.eachBatch) throw new Error(`consumer of ${this.groupId} is not running`);
    const resolved = this.resolved;
    const messages = records.map((record, offset) => ({
      key: record.key ? Buffer.from(record.key) : null,
      value: Buffer.from(record.value as string),
      headers: record.headers ?? {},
      timestamp: '0',
      attributes: 0,
      offset: String(offset),
    }));
    await this.handlers.eachBatch({
      batch: { topic, partition: 0, messages } as unknown as Batch,
      resolveOffset: (offset: string) => void resolved.push(offset),
      heartbeat: async () => undefined,
      commitOffsetsIfNecessary: async () => undefined,
      uncommittedOffsets: () => ({ topics: [] }),
      isRunning: () => true,
      isStale: () => false,
      pause: () => () => undefined,
    });
  }

  async deliver(topic: string, record: Message): Promise<void> {
    const { eachMessage, eachBatch } = this.handlers ?? {};
    if (!eachMessage && !eachBatch) throw new Error(`consumer of ${this.groupId} is not running`);
    const message = {
      key: record.key ? Buffer.from(record.key) : null,
      value: Buffer.from(record.value as string),
      headers: record.headers ?? {},
      timestamp: '0',
      attributes: 0,
      offset: '0',
    };
    const heartbeat = async () => undefined;
    if (eachMessage) {
      await eachMessage({ topic, partition: 0, message, heartbeat, pause: () => () => undefined });
      return;
    }
    await eachBatch!({
      batch: { topic, partition: 0, messages: [message] } as unknown as Batch,
      resolveOffset: () => undefined,
      heartbeat,
      commitOffsetsIfNecessary: async () => undefined,
      uncommittedOffsets: () => ({ topics: [] }),
      isRunning: () => true,
      isStale: () => false,
      pause: () => () => undefined,
    });
  }
}

class FakeKafka {
  readonly consumers: FakeConsumer[] = [];
  /** How the next consumers start, first to last; they run once this is empty. */
  readonly startups: Startup[] = [];
  private readonly sends: ((record: ProducerRecord) => void)[] = [];
  /** While set, every produce request waits for it (a broker slow to acknowledge). */
  ack?: Promise<void>;

  admin(): object {
    return {
      connect: async () => undefined,
      createTopics: async () => true,
      deleteTopics: async () => undefined,
      disconnect: async () => undefined,
    };
  }

  producer(): object {
    return {
      connect: async () => undefined,
      sendBatch: async ({ topicMessages }: { topicMessages: ProducerRecord[] }) => {
        await this.ack;
        for (const record of topicMessages) {
          this.sends.splice(0).forEach((resolve) => resolve(record));
        }
        return [];
      },
      disconnect: async () => undefined,
    };
  }

  consumer({ groupId }: { groupId: string }): FakeConsumer {
    const consumer = new FakeConsumer(groupId, this.startups.shift() ?? 'runs');
    this.consumers.push(consumer);
    return consumer;
  }

  consumersOf(groupId: string): FakeConsumer[] {
    return this.consumers.filter((c) => c.groupId === groupId);
  }

  replyConsumers(): FakeConsumer[] {
    return this.consumers.filter((c) => c.groupId.startsWith('mercato.replies.'));
  }

  nextSend(): Promise<ProducerRecord> {
    return new Promise((resolve) => this.sends.push(resolve));
  }
}

const ProbeAsked = defineRequest({
  type: 'test.probe.asked',
  version: 1,
  owner: 'catalog',
  request: z.object({ n: z.number() }),
  response: z.object({ doubled: z.number() }),
});

const GROUP = 'probe-watchers';

function probeRecord(n: number): Message {
  return envelopeRecord(newEnvelope(ProbeHappened, { n }, { key: `k${n}` }));
}

describe('KafkaMessageBus when kafkajs leaves a crashed consumer stopped', () => {
  let kafka: FakeKafka;
  let bus: KafkaMessageBus;
  let warnings: string[];
  let handled: number[];

  beforeEach(() => {
    jest.useFakeTimers();
    kafka = new FakeKafka();
    warnings = [];
    handled = [];
    bus = new KafkaMessageBus({
      brokers: ['fake:9092'],
      clientId: 'restart-test',
      partitions: 1,
      retry: { maxAttempts: 1, backoffMs: 1 },
      requestTimeoutMs: 60_000,
      logger: { ...silentBusLogger, warn: (message) => warnings.push(message) },
      createKafka: () => kafka as unknown as Kafka,
    });
    bus.subscribe(ProbeHappened, GROUP, async ({ n }) => {
      handled.push(n);
    });
  });

  afterEach(async () => {
    await bus.close();
    jest.useRealTimers();
  });

  it('a group consumer that crashed with a non-retriable error is started again and handles later messages', async () => {
    await bus.start();
    const [crashed] = kafka.consumersOf(GROUP);

    crashed.crash({ restart: false });
    await jest.advanceTimersByTimeAsync(1_000);

    const [, fresh] = kafka.consumersOf(GROUP);
    expect(crashed.disconnected).toBe(true);
    expect(fresh.disconnected).toBe(false);
    await fresh.deliver(ProbeHappened.topic, probeRecord(2));
    expect(handled).toEqual([2]);
    expect(warnings).toEqual([`Restarted the Kafka consumer of group ${GROUP}, which had stopped`]);
  });

  it('the reply consumer records its position once a second, not after every batch', async () => {
    await bus.start();
    const [replies] = kafka.replyConsumers();
    expect(replies.autoCommit).toBe(false);

    await replies.deliver(replies.groupId, {
      key: 'r',
      value: '{}',
      headers: { [HEADER.requestId]: 'nobody-waits' },
    });
    expect(replies.commits).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(replies.commits).toEqual([{ topic: replies.groupId, partition: 0, offset: '1' }]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(replies.commits).toHaveLength(1); // nothing new read: nothing to commit
  });

  it('the reply consumer is restarted after a crash, and a later request gets its reply', async () => {
    await bus.start();
    const [crashed] = kafka.replyConsumers();

    crashed.crash({ restart: false });
    await jest.advanceTimersByTimeAsync(1_000);

    const [, fresh] = kafka.replyConsumers();
    expect(crashed.disconnected).toBe(true);
    const sent = kafka.nextSend();
    const reply = bus.request(ProbeAsked, { n: 2 });
    const { messages } = await sent;
    const requestId = (messages[0].headers ?? {})[HEADER.requestId] as string;
    await fresh.deliver(fresh.groupId, {
      key: requestId,
      value: JSON.stringify({ ok: true, result: { doubled: 4 } }),
      headers: { [HEADER.requestId]: requestId },
    });
    await expect(reply).resolves.toEqual({ doubled: 4 });
  });

  it('a restart that fails is tried again after a doubled delay', async () => {
    await bus.start();
    const [crashed] = kafka.consumersOf(GROUP);
    kafka.startups.push('crashes');

    crashed.crash({ restart: false });
    await jest.advanceTimersByTimeAsync(1_000);
    const [, failed] = kafka.consumersOf(GROUP);
    expect(failed.disconnected).toBe(true);

    await jest.advanceTimersByTimeAsync(1_999);
    expect(kafka.consumersOf(GROUP)).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    const [, , fresh] = kafka.consumersOf(GROUP);
    await fresh.deliver(ProbeHappened.topic, probeRecord(3));
    expect(handled).toEqual([3]);
  });

  it('one restart per consumer at a time: repeated crash reports start one fresh consumer', async () => {
    await bus.start();
    const [crashed] = kafka.consumersOf(GROUP);

    crashed.crash({ restart: false });
    crashed.crash({ restart: false });
    await jest.advanceTimersByTimeAsync(60_000);

    expect(kafka.consumersOf(GROUP)).toHaveLength(2);
  });

  it('a retriable crash is left to kafkajs, which restarts that consumer itself', async () => {
    await bus.start();
    const [crashed] = kafka.consumersOf(GROUP);

    crashed.crash({ restart: true });
    await jest.advanceTimersByTimeAsync(60_000);

    expect(kafka.consumersOf(GROUP)).toEqual([crashed]);
    expect(crashed.disconnected).toBe(false);
  });

  it('no restart after close: a crash waiting for its restart when the bus closes, or after it, starts no consumer', async () => {
    await bus.start();
    const [group] = kafka.consumersOf(GROUP);
    const [reply] = kafka.replyConsumers();

    group.crash({ restart: false });
    await bus.close();
    reply.crash({ restart: false });
    await jest.advanceTimersByTimeAsync(60_000);

    expect(kafka.consumersOf(GROUP)).toEqual([group]);
    expect(kafka.replyConsumers()).toEqual([reply]);
  });

  it('a group consumer that crashes while joining at start-up keeps the bus connecting until a later attempt starts it', async () => {
    kafka.startups.push('runs', 'crashes'); // the reply consumer, then the group's

    await bus.start();
    expect((await bus.health()).up).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);

    expect((await bus.health()).up).toBe(true);
    const [failed, fresh] = kafka.consumersOf(GROUP);
    expect(failed.disconnected).toBe(true);
    await fresh.deliver(ProbeHappened.topic, probeRecord(4));
    expect(handled).toEqual([4]);
  });
});

describe('KafkaMessageBus answering requests of one key', () => {
  let kafka: FakeKafka;
  let bus: KafkaMessageBus;
  let handled: number[];
  let answering: FakeConsumer;

  const asked = (n: number) =>
    envelopeRecord(newEnvelope(ProbeAsked, { n }, { key: 'one-key' }), {
      [HEADER.replyTo]: 'mercato.replies.someone',
      [HEADER.requestId]: `request-${n}`,
    });

  beforeEach(async () => {
    kafka = new FakeKafka();
    handled = [];
    bus = new KafkaMessageBus({
      brokers: ['fake:9092'],
      clientId: 'answer-test',
      partitions: 1,
      retry: { maxAttempts: 1, backoffMs: 1 },
      requestTimeoutMs: 60_000,
      logger: silentBusLogger,
      createKafka: () => kafka as unknown as Kafka,
    });
    bus.answer(ProbeAsked, async ({ n }) => {
      handled.push(n);
      return { doubled: 2 * n };
    });
    await bus.start();
    [answering] = kafka.consumers.filter((c) => !c.groupId.startsWith('mercato.replies.'));
  });

  afterEach(() => bus.close());

  it('handles the next request of a key while the reply to the one before waits for its ack, and moves the offset only after the ack', async () => {
    let acknowledge!: () => void;
    kafka.ack = new Promise((resolve) => (acknowledge = resolve));

    const batch = answering.deliverBatch(ProbeAsked.topic, [asked(1), asked(2)]);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(handled).toEqual([1, 2]);
    expect(answering.resolved).toEqual([]);
    acknowledge();
    await batch;
    expect(answering.resolved).toEqual(['1']);
  });

  it('leaves the offset before a request whose reply the broker refused, so it is delivered again', async () => {
    kafka.ack = Promise.reject(new Error('broker went away'));
    kafka.ack.catch(() => undefined);

    await expect(answering.deliverBatch(ProbeAsked.topic, [asked(1), asked(2)])).rejects.toThrow(
      'broker went away',
    );

    expect(handled).toEqual([1, 2]);
    expect(answering.resolved).toEqual([]);
  });
});
