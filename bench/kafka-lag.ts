import { Kafka, logLevel } from 'kafkajs';

export interface CatchUp {
  waitedMs: number;
  /** Records not yet committed by the stack's consumer groups when the wait ended (0: caught up). */
  lag: number;
}

/**
 * Waits until every consumer group named with `prefix` has committed up to the end of its
 * topics, so a measurement does not start while the apps are still working through an earlier
 * run's backlog (requests that already timed out are still handled, and cost CPU).
 */
export async function waitForConsumersToCatchUp(
  brokers: string[],
  prefix: string,
  timeoutMs = 60_000,
): Promise<CatchUp> {
  const admin = new Kafka({
    clientId: `${prefix}lag`,
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const started = performance.now();
  try {
    for (;;) {
      const lag = await totalLag(admin, prefix);
      const waitedMs = Math.round(performance.now() - started);
      if (lag === 0 || waitedMs >= timeoutMs) return { waitedMs, lag };
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

type Admin = ReturnType<Kafka['admin']>;

async function totalLag(admin: Admin, prefix: string): Promise<number> {
  const { groups } = await admin.listGroups();
  const ends = new Map<string, Map<number, number>>();
  const endOf = async (topic: string) => {
    let partitions = ends.get(topic);
    if (!partitions) {
      const offsets = await admin.fetchTopicOffsets(topic);
      partitions = new Map(offsets.map((p) => [p.partition, Number(p.high)]));
      ends.set(topic, partitions);
    }
    return partitions;
  };
  let lag = 0;
  for (const { groupId } of groups.filter((g) => g.groupId.startsWith(prefix))) {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
      const end = await endOf(topic);
      for (const { partition, offset } of partitions) {
        // -1: nothing committed yet, which on a topic with records is all of them behind.
        const committed = Number(offset) < 0 ? 0 : Number(offset);
        lag += Math.max(0, (end.get(partition) ?? 0) - committed);
      }
    }
  }
  return lag;
}
