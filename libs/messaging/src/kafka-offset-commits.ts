import type { Consumer } from 'kafkajs';

/**
 * How often consumers commit what they have handled (groups also commit on close, and a batch
 * commits when the group's last commit is this old). kafkajs's auto-commit commits after every
 * batch, a broker round trip between two fetches, so on the path of every request: measured at
 * 100 req/s, the round trip's median fell from ~27 to ~10 ms without it (ADR 0009). A crash or
 * rebalance redelivers up to this much; every consumer is idempotent.
 */
export const COMMIT_INTERVAL_MS = 1_000;

/** A partition's next offset to read, by `topic|partition`. */
export type Position = [topicPartition: string, next: number];

/** What one consumer has committed, so a commit sends only the partitions that moved since. */
export class OffsetCommits {
  private readonly committed = new Map<string, number>();
  private lastCommitAt = 0;

  /** True when the last commit was sent a commit interval ago, or none was. */
  isDue(): boolean {
    return Date.now() - this.lastCommitAt >= COMMIT_INTERVAL_MS;
  }

  /**
   * Commits the positions that moved past what was committed, and records them. A failure (a
   * rebalance, a broker away) is left to the next tick, or to the new owner of a moved partition.
   */
  async commit(consumer: Consumer | undefined, positions: readonly Position[]): Promise<void> {
    this.lastCommitAt = Date.now();
    const moved = positions.filter(([key, next]) => next > (this.committed.get(key) ?? -1));
    if (!consumer || moved.length === 0) return;
    try {
      await consumer.commitOffsets(
        moved.map(([key, next]) => {
          const [topic, partition] = key.split('|');
          return { topic, partition: Number(partition), offset: String(next) };
        }),
      );
      for (const [key, next] of moved) this.committed.set(key, next);
    } catch {
      // The next tick tries again.
    }
  }
}
