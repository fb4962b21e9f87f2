import type { Consumer, ConsumerConfig, ConsumerRunConfig, Kafka } from 'kafkajs';
import { describeError, type BusLogger } from './bus-support';
import { isShuttingDown, retryWithBackoff, type KafkaBusLifecycle } from './kafka-lifecycle';

/**
 * Longest a consumer's fetch waits on an idle partition. kafkajs's default (5 s) is also how long
 * disconnect() waits for that fetch, so it would make every graceful shutdown take 5 s.
 */
const FETCH_MAX_WAIT_MS = 1_000;

/** Default of BUS_SESSION_TIMEOUT_MS: how long a crashed member's partitions stall. */
const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

/**
 * Starts kafkajs consumers and keeps them alive, for the consumer groups and the reply channel
 * alike. kafkajs restarts a crashed consumer itself only after a retriable error; after any other
 * (e.g. "Failed to find group coordinator" from a broker starved of CPU) it leaves it stopped for
 * good, and the supervisor replaces it, with the connection backoff, until the bus closes.
 */
export class KafkaConsumerSupervisor {
  /** Restart loops of dead consumers, by the owner's key: one per consumer at a time. */
  private readonly restarts = new Map<string, Promise<void>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly lifecycle: KafkaBusLifecycle,
    private readonly logger: BusLogger,
    private readonly sessionTimeoutMs = DEFAULT_SESSION_TIMEOUT_MS,
  ) {}

  /**
   * Connects, subscribes and runs a consumer, watching for crashes; `onDeath` hears of a crash
   * kafkajs will not recover from. A crash while starting fails the start instead, since kafkajs's
   * run() resolves even when joining the group failed; the caller tries again.
   */
  async run(
    what: string,
    config: Pick<ConsumerConfig, 'groupId' | 'allowAutoTopicCreation'>,
    topics: string[],
    run: ConsumerRunConfig,
    onDeath: (dead: Consumer) => void,
    listen?: (consumer: Consumer) => void,
  ): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      ...config,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      ...this.membership(),
    });
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
   * Replaces a dead consumer, with the connection backoff, until `start` runs a fresh one or the
   * bus closes. A fresh group member resumes from its group's committed offsets.
   */
  restart(key: string, what: string, dead: Consumer | undefined, start: () => Promise<void>): void {
    if (this.restarts.has(key) || isShuttingDown(this.lifecycle)) return;
    this.restarts.set(key, this.keepRestarting(key, what, dead, start));
  }

  /** The restart loop running for `key`, if any: whoever replaces that consumer waits for it. */
  restarting(key: string): Promise<void> | undefined {
    return this.restarts.get(key);
  }

  /** Resolves when no restart loop runs any more (close() waits for them before disconnecting). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.restarts.values()]);
  }

  /** Heartbeats a tenth of the session, as Kafka recommends (≤ 1/3). */
  private membership(): { sessionTimeout: number; heartbeatInterval: number } {
    const sessionTimeout = this.sessionTimeoutMs;
    return { sessionTimeout, heartbeatInterval: Math.max(100, Math.floor(sessionTimeout / 10)) };
  }

  private async keepRestarting(
    key: string,
    what: string,
    dead: Consumer | undefined,
    start: () => Promise<void>,
  ): Promise<void> {
    try {
      // Always awaits (even `undefined`), so restart() has registered this loop before `finally`.
      await dead?.disconnect().catch(() => undefined);
      await retryWithBackoff(
        this.lifecycle,
        () => !isShuttingDown(this.lifecycle),
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
}
