import type { Envelope } from '@mercato/contracts';
import type { Consumer } from 'kafkajs';
import type { ReplyMessage } from './bus-support';
import type { KafkaConsumerSupervisor } from './kafka-consumer-supervisor';
import { OffsetCommits, type Position } from './kafka-offset-commits';
import type { KafkaProducer } from './kafka-producer';
import { HEADER, envelopeRecord, readHeaders } from './kafka-records';
import { PendingReplies } from './pending-replies';

/**
 * The caller's half of request/reply on Kafka: replies come back on a topic owned by this process
 * instance (one partition, its own consumer group, deleted on close), and are matched to the
 * waiting request by the `request-id` header.
 */
export class KafkaReplyChannel {
  private consumer?: Consumer;
  private readonly pending = new PendingReplies();
  /** Next offset of the reply topic to read, and what was last committed of it. */
  private position?: number;
  private readonly commits = new OffsetCommits();

  constructor(
    /** The reply topic's physical name. */
    readonly topic: string,
    private readonly producer: KafkaProducer,
    private readonly supervisor: KafkaConsumerSupervisor,
  ) {}

  /** Runs the reply consumer, once; the bus connects the channel before it answers anything. */
  async start(): Promise<void> {
    if (!this.consumer) this.consumer = await this.runConsumer();
  }

  /**
   * Sends a request's record to `physicalTopic` with this channel as its reply address, and
   * resolves with the reply; `contractTopic` names the request in a timeout.
   */
  async exchange(
    physicalTopic: string,
    contractTopic: string,
    envelope: Envelope,
    timeoutMs: number,
  ): Promise<ReplyMessage> {
    const reply = this.pending.wait(envelope.id, contractTopic, timeoutMs);
    reply.catch(() => undefined); // a send failure below must not leave an unhandled rejection
    try {
      await this.producer.send(
        physicalTopic,
        envelopeRecord(envelope, { [HEADER.replyTo]: this.topic, [HEADER.requestId]: envelope.id }),
      );
    } catch (error) {
      this.pending.forget(envelope.id);
      throw error;
    }
    return reply;
  }

  /**
   * Commits the position on the bus's commit timer (ADR 0009): replies are worthless once read,
   * and the position only bounds what a restarted reply consumer reads again.
   */
  commit(): Promise<void> {
    const positions: Position[] =
      this.position === undefined ? [] : [[`${this.topic}|0`, this.position]];
    return this.commits.commit(this.consumer, positions);
  }

  /** The bus is closing: every request still waiting fails now. */
  rejectWaiting(): void {
    this.pending.rejectAll();
  }

  async disconnect(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private runConsumer(): Promise<Consumer> {
    const what = `the reply topic ${this.topic}`;
    return this.supervisor.run(
      what,
      { groupId: this.topic },
      [this.topic],
      {
        autoCommit: false, // committed once a second (COMMIT_INTERVAL_MS)
        eachMessage: async ({ message }) => {
          this.position = Number(message.offset) + 1;
          const requestId = readHeaders(message.headers)[HEADER.requestId];
          if (requestId)
            this.pending.deliver(requestId, message.value?.toString('utf8') ?? '', this.topic);
        },
      },
      (dead) => {
        if (this.consumer !== dead) return;
        this.supervisor.restart('reply', what, dead, async () => {
          this.consumer = await this.runConsumer();
        });
      },
    );
  }
}
