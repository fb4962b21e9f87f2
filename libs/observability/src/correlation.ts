import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface CorrelationScope {
  correlationId: string;
  /** Id of the message being handled, so messages it causes can name it as their cause. */
  causationId: string | null;
}

/**
 * How a process carries the correlation id of the action it is serving:
 * - `scoped` (the default): in an AsyncLocalStorage scope, so every log line and every message a
 *   request or a handled message causes carries it without being told;
 * - `explicit`: no scope at all; code passes the id to each bus call itself, and log lines name
 *   it only where they are given it. On Node 20 an entered AsyncLocalStorage runs async hooks for
 *   every async resource of the process, hot paths included (measured: −8 to −10% of a raw
 *   node:http server's throughput), so the gateway, whose cached reads must match that server,
 *   runs explicit (ADR 0012).
 */
export type CorrelationPropagation = 'scoped' | 'explicit';

const storage = new AsyncLocalStorage<CorrelationScope>();
let propagation: CorrelationPropagation = 'scoped';

/** The header that carries the correlation id in and out of every HTTP service. */
export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's correlation id when it is safe to log and echo, else a new one. */
export function correlationIdFrom(header: unknown): string {
  return typeof header === 'string' && SAFE_ID.test(header) ? header : randomUUID();
}

/**
 * The correlation id follows one user action across HTTP, the bus and logs. HTTP sets it from
 * `X-Correlation-Id` (or a new id); the bus sets it from the envelope of the message handled.
 */
export const Correlation = {
  /**
   * Chooses how this process carries correlation ids. Called once at start-up, before the
   * first scope: a scope entered before the switch would keep the async hooks enabled.
   */
  usePropagation(mode: CorrelationPropagation): void {
    propagation = mode;
    if (mode === 'explicit') storage.disable();
  },
  get propagation(): CorrelationPropagation {
    return propagation;
  },
  run<T>(scope: CorrelationScope, fn: () => T): T {
    return propagation === 'scoped' ? storage.run(scope, fn) : fn();
  },
  // An explicit process sees no scope, not even one entered before the switch: on Node 20
  // `disable()` exits every scope, but on Node 22+ (AsyncContextFrame) a continuation created
  // earlier keeps its frame's store.
  current(): CorrelationScope | undefined {
    return propagation === 'scoped' ? storage.getStore() : undefined;
  },
  currentId(): string | undefined {
    return propagation === 'scoped' ? storage.getStore()?.correlationId : undefined;
  },
  newId(): string {
    return randomUUID();
  },
};
