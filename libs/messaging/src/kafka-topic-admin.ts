import type { Admin, Kafka } from 'kafkajs';
import { topicConfigs } from './kafka-records';
import type { KafkaBusLifecycle } from './kafka-lifecycle';

/** kafkajs marks errors a client should retry (e.g. a partition whose leader is still moving in). */
function isRetriable(error: unknown): boolean {
  return (error as { retriable?: unknown } | null)?.retriable === true;
}

/**
 * The bus's admin client: creates topics with BUS_PARTITIONS partitions and their `.dlq` twins
 * (the broker does not auto-create topics, MSK's default, and an auto-created topic would get the
 * wrong partitions), reads offsets for drain(), and deletes the reply topic on close.
 */
export class KafkaTopicAdmin {
  private readonly admin: Admin;
  /** Topics known to exist (created or confirmed by this bus), so producing never hits a missing one. */
  private readonly known = new Map<string, Promise<void>>();

  constructor(
    kafka: Kafka,
    private readonly partitions: number,
    private readonly lifecycle: KafkaBusLifecycle,
  ) {
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  /** At connect: `topics` with their `.dlq` twins, and this process's reply topic (one partition). */
  async createAtStart(topics: Iterable<string>, replyTopic: string): Promise<void> {
    const configs = topicConfigs(topics, this.partitions);
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [...configs, { topic: replyTopic, numPartitions: 1 }],
    });
    for (const { topic } of configs) this.known.set(topic, Promise.resolve());
  }

  /**
   * Creates a topic (and its `.dlq` twin) the first time this bus produces to or consumes from it
   * outside the contracts it created at start, e.g. a request nobody answers yet.
   */
  ensure(topic: string): Promise<void> {
    let created = this.known.get(topic);
    if (!created) {
      const configs = topicConfigs([topic], this.partitions);
      created = this.admin.createTopics({ waitForLeaders: true, topics: configs }).then(() => {
        for (const config of configs) this.known.set(config.topic, Promise.resolve());
      });
      created.catch(() => this.known.delete(topic)); // try again next time
      this.known.set(topic, created);
    }
    return created;
  }

  /** The offsets a group has committed on `topics`. */
  committedOffsets(groupId: string, topics: string[]) {
    return this.retryTransient(() => this.admin.fetchOffsets({ groupId, topics }));
  }

  /** Each partition's end offsets (`high`: the offset the next record will get). */
  endOffsets(topic: string) {
    return this.retryTransient(() => this.admin.fetchTopicOffsets(topic));
  }

  /** Best effort: a reply topic left behind costs the broker a little and nobody reads it. */
  async deleteTopic(topic: string): Promise<void> {
    await this.admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  /** Repeats an admin call while the broker answers with a retriable error (leadership settling). */
  private async retryTransient<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (attempt >= 10 || !isRetriable(error) || this.lifecycle.state() !== 'up') throw error;
        await this.lifecycle.sleeps.sleep(50 * attempt);
      }
    }
  }
}
