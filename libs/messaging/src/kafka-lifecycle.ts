import type { CancellableSleeps } from './bus-support';

export type KafkaBusState = 'created' | 'connecting' | 'up' | 'closing' | 'closed';

/**
 * What the Kafka bus's parts read of its lifecycle: they stop retrying, restarting and waiting
 * once it closes, and some operations (drain, offset reads) need it up.
 */
export interface KafkaBusLifecycle {
  state(): KafkaBusState;
  /** Every wait of the bus (retry backoff, reconnects, restarts); close() cuts them all short. */
  readonly sleeps: CancellableSleeps;
}

export function isShuttingDown(lifecycle: KafkaBusLifecycle): boolean {
  const state = lifecycle.state();
  return state === 'closing' || state === 'closed';
}

/** Backoff of connecting and of restarting a dead consumer: doubling from the first to the max. */
const RECONNECT_FIRST_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

/**
 * Repeats `attempt` after doubling waits (RECONNECT_FIRST_MS up to RECONNECT_MAX_MS) until it
 * succeeds or `keepGoing` says stop; closing the bus cuts a wait short and ends the loop.
 */
export async function retryWithBackoff(
  lifecycle: KafkaBusLifecycle,
  keepGoing: () => boolean,
  attempt: () => Promise<boolean>,
): Promise<void> {
  for (let delay = RECONNECT_FIRST_MS; keepGoing(); delay = Math.min(delay * 2, RECONNECT_MAX_MS)) {
    if (!(await lifecycle.sleeps.sleep(delay))) return;
    if (await attempt()) return;
  }
}
