import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface CorrelationScope {
  correlationId: string;
  /** Id of the message being handled, so messages it causes can name it as their cause. */
  causationId: string | null;
}

const storage = new AsyncLocalStorage<CorrelationScope>();

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
  run<T>(scope: CorrelationScope, fn: () => T): T {
    return storage.run(scope, fn);
  },
  current(): CorrelationScope | undefined {
    return storage.getStore();
  },
  currentId(): string | undefined {
    return storage.getStore()?.correlationId;
  },
  newId(): string {
    return randomUUID();
  },
};
