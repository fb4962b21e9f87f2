import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { describeError, duplicateHandlerError, type BusLogger } from './bus-support';
import type { KafkaConsumerSupervisor } from './kafka-consumer-supervisor';
import type { KafkaRecordHandler } from './kafka-inbound';
import type { KafkaBusLifecycle } from './kafka-lifecycle';
import { OffsetCommits, type Position } from './kafka-offset-commits';
import type { KafkaTopicAdmin } from './kafka-topic-admin';
import { handleInKeyOrder, type KeyOrderedOutcome } from './key-ordered';

interface Group {
  name: string;
  /** Record handlers by physical topic. */
  handlers: Map<string, KafkaRecordHandler>;
  consumer?: Consumer;
  /** `topic|partition` of the partitions the group gave this member at its last join. */
  assignment: Set<string>;
  commits: OffsetCommits;
}

/** The topic a `.dlq` topic is the twin of; topics are created with their twin. */
function baseTopic(topic: string): string {
  return topic.endsWith('.dlq') ? topic.slice(0, -4) : topic;
}

/**
 * The consumer groups of this process, one kafkajs consumer each: runs them, hands a partition's
 * batch to the record handlers in key order (ADR 0008), moves each partition's offset past records
 * done with none undone before them, and commits once a second and on close (ADR 0009). It also
 * tracks how far this process has handled each partition, for drain().
 */
export class KafkaConsumerGroups {
  private readonly groups = new Map<string, Group>();
  /** Next offset handled by this process, per `group|topic|partition` (for drain and commits). */
  private readonly progress = new Map<string, number>();
  private progressWaiters: (() => void)[] = [];

  constructor(
    private readonly deps: {
      admin: KafkaTopicAdmin;
      supervisor: KafkaConsumerSupervisor;
      lifecycle: KafkaBusLifecycle;
      logger: BusLogger;
      /** The group's name on the cluster (the bus's namespace, then the name). */
      physical: (name: string) => string;
      /** Partitions of every topic: a consumer handles all of its partitions at once. */
      partitions: number;
      /** Keys handled at once per partition (BUS_KEY_CONCURRENCY). */
      keyConcurrency: number;
    },
  ) {}

  /**
   * Registers a record handler for a physical topic in a group. A kafkajs consumer cannot add
   * topics while it runs, so on a bus that is up the group's consumer is replaced.
   */
  add(groupName: string, topic: string, handler: KafkaRecordHandler): void {
    const group = this.groups.get(groupName) ?? {
      name: groupName,
      handlers: new Map<string, KafkaRecordHandler>(),
      assignment: new Set<string>(),
      commits: new OffsetCommits(),
    };
    if (group.handlers.has(topic)) throw duplicateHandlerError(groupName, topic);
    group.handlers.set(topic, handler);
    this.groups.set(groupName, group);
    if (this.deps.lifecycle.state() === 'up') void this.resubscribe(group, topic);
  }

  /** Every topic a group reads (a `.dlq` topic as its base topic), for the topics made at start. */
  topics(): string[] {
    return [...this.groups.values()].flatMap(({ handlers }) => [...handlers.keys()].map(baseTopic));
  }

  /** Runs the consumer of every group that has none yet (at connect). */
  async startAll(): Promise<void> {
    for (const group of this.groups.values()) {
      if (!group.consumer) group.consumer = await this.run(group);
    }
  }

  /** Commits, for every group, the partitions it was assigned whose offset moved. */
  async commitAll(): Promise<void> {
    await Promise.allSettled([...this.groups.values()].map((group) => this.commit(group)));
  }

  async disconnectAll(): Promise<void> {
    await Promise.allSettled(
      [...this.groups.values()].map((group) => group.consumer?.disconnect()),
    );
  }

  /** Lets drain() see the bus closing instead of waiting for progress that will not come. */
  wakeDrainers(): void {
    const waiters = this.progressWaiters;
    this.progressWaiters = [];
    waiters.forEach((wake) => wake());
  }

  /**
   * Resolves when this process has handled every record of its groups' topics, including those
   * its handlers published meanwhile (tests; assumes this process holds all partitions of its
   * groups): drains up to the current end offsets, and again while those ends moved.
   */
  async drain(): Promise<void> {
    for (let previous = -1, ends = await this.drainToCurrentEnds(); ends !== previous;) {
      previous = ends;
      ends = await this.drainToCurrentEnds();
    }
  }

  /** Waits until every record up to the end offsets read now is handled; returns their sum. */
  private async drainToCurrentEnds(): Promise<number> {
    const { admin, lifecycle, physical } = this.deps;
    const targets: { key: string; high: number }[] = [];
    for (const [group, { handlers }] of this.groups) {
      const committed = await admin.committedOffsets(physical(group), [...handlers.keys()]);
      for (const topic of handlers.keys()) {
        for (const { partition, high } of await admin.endOffsets(topic)) {
          const key = `${group}|${topic}|${partition}`;
          const done = committed
            .find((t) => t.topic === topic)
            ?.partitions.find((p) => p.partition === partition);
          const floor = Number(done?.offset ?? -1);
          if (floor > (this.progress.get(key) ?? -1)) this.progress.set(key, floor);
          targets.push({ key, high: Number(high) });
        }
      }
    }
    const drained = () =>
      targets.every((t) => t.high === 0 || (this.progress.get(t.key) ?? -1) >= t.high);
    while (!drained()) {
      const state = lifecycle.state();
      if (state !== 'up') throw new Error(`drain() interrupted: the bus is ${state}`);
      await new Promise<void>((resolve) => this.progressWaiters.push(resolve));
    }
    return targets.reduce((sum, t) => sum + t.high, 0);
  }

  /** Commits the partitions assigned to this member (at its last join) whose offset moved. */
  private commit(group: Group): Promise<void> {
    const positions = [...group.assignment].flatMap((assigned): Position[] => {
      const next = this.progress.get(`${group.name}|${assigned}`);
      return next === undefined ? [] : [[assigned, next]];
    });
    return group.commits.commit(group.consumer, positions);
  }

  /**
   * One kafkajs consumer per group; partitions are consumed concurrently, and within a partition
   * up to `keyConcurrency` keys at once, each key's records one at a time (handleInKeyOrder).
   */
  private run(group: Group): Promise<Consumer> {
    return this.deps.supervisor.run(
      `group ${group.name}`,
      { groupId: this.deps.physical(group.name), allowAutoTopicCreation: false },
      [...group.handlers.keys()],
      {
        partitionsConsumedConcurrently: this.deps.partitions,
        // Offsets move only up to the last record done with none undone before it, and are
        // committed once a second and on close (COMMIT_INTERVAL_MS), not after every batch.
        eachBatchAutoResolve: false,
        autoCommit: false,
        eachBatch: (payload) => this.processBatch(group, payload),
      },
      (dead) => this.restart(group, dead),
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
    const handle = group.handlers.get(batch.topic);
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
        if (handle) await handle(message, { heartbeat, settleLater });
        await heartbeat();
        return true;
      },
      this.deps.keyConcurrency,
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
      if (group.commits.isDue()) void this.commit(group);
    }
    // Closing: commit while this member is still in the group (disconnect() leaves it next).
    if (this.deps.lifecycle.state() === 'closing') await this.commit(group);
    if (error) throw error;
  }

  private restart(group: Group, dead: Consumer | undefined): void {
    if (group.consumer !== dead) return; // replaced meanwhile (resubscribe)
    this.deps.supervisor.restart(`group:${group.name}`, `group ${group.name}`, dead, async () => {
      group.consumer = await this.run(group);
    });
  }

  /** Creates the new topic, then replaces the group's consumer with one that reads it too. */
  private async resubscribe(group: Group, topic: string): Promise<void> {
    try {
      await this.deps.admin.ensure(baseTopic(topic));
      await this.deps.supervisor.restarting(`group:${group.name}`); // one consumer per group at a time
      await group.consumer?.disconnect();
      group.consumer = undefined;
      group.consumer = await this.run(group);
    } catch (error) {
      this.deps.logger.error(
        `Could not subscribe group ${group.name} to ${topic}: ${describeError(error)}`,
      );
      if (!group.consumer) this.restart(group, undefined);
    }
  }
}

/**
 * Cuts a key-ordered run's done prefix at the first record whose deferred work (settleLater)
 * failed, once all of it has settled: the offset may move past a record only when its handler
 * and its deferred work are both done (ADR 0010).
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
