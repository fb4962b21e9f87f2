import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  ContractViolation,
  envelopeSchema,
  validateMessage,
  type Envelope,
  type RequestContract,
} from '@mercato/contracts';
import { Correlation } from '@mercato/observability';
import type { z } from 'zod';
import type { BusMetrics, RequestOutcome } from './bus-metrics';
import { RemoteError, RequestTimeoutError, type ReplyError } from './errors';
import type { DeadLetter, RequestOptions, RetryPolicy } from './message-bus';

/**
 * Envelopes, dead letters and the caller's half of request/reply, shared by the adapters; not
 * exported from the lib's index. What happens to a received message is in message-delivery.ts.
 */

export interface BusLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentBusLogger: BusLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function defaultBusLogger(context: string): BusLogger {
  return new Logger(context);
}

/**
 * Waits that end early, all at once, when the bus closes (redelivery backoff, reconnect delays):
 * `sleep` resolves true when the time is up, false when cancelled.
 */
export class CancellableSleeps {
  private readonly sleepers = new Set<() => void>();

  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.sleepers.delete(wake);
        resolve(true);
      }, ms);
      this.sleepers.add(wake);
    });
  }

  cancelAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}

/** Retry cap from RetryPolicy's contract. */
export const MAX_BACKOFF_MS = 30_000;

/** Delay before the n-th redelivery (n ≥ 1): backoffMs · 2^(n-1), capped at 30 s. */
export function retryDelay(policy: RetryPolicy, redelivery: number): number {
  return Math.min(policy.backoffMs * 2 ** (redelivery - 1), MAX_BACKOFF_MS);
}

/** What a reply message carries from the answering service back to the caller. */
export type ReplyMessage = { ok: true; result: unknown } | { ok: false; error: ReplyError };

/** The code of the process warning for a message sent without a correlation id (see below). */
export const UNCORRELATED_WARNING = 'MERCATO_UNCORRELATED_MESSAGE';
const warnedUncorrelated = new Set<string>();

/**
 * A fresh correlation id for a message that has none. In a process that carries ids explicitly
 * (the gateway, ADR 0012) that means a call site forgot to pass the id, which would cut the
 * action's trail in two: it is reported once per message type as a process warning (stderr;
 * the stack's test suite fails on one in the gateway's log).
 */
function uncorrelated(type: string): string {
  if (Correlation.propagation === 'explicit' && !warnedUncorrelated.has(type)) {
    warnedUncorrelated.add(type);
    process.emitWarning(`${type} was sent without a correlation id; pass the request's id`, {
      code: UNCORRELATED_WARNING,
    });
  }
  return Correlation.newId();
}

/** Builds an envelope, taking correlation and causation from the current scope unless given. */
export function newEnvelope<T>(
  spec: { type: string; version: number },
  data: T,
  options: { key: string; correlationId?: string; causationId?: string | null },
): Envelope<T> {
  const scope = Correlation.current();
  return {
    id: randomUUID(),
    type: spec.type,
    version: spec.version,
    occurredAt: new Date().toISOString(),
    key: options.key,
    correlationId: options.correlationId ?? scope?.correlationId ?? uncorrelated(spec.type),
    causationId:
      options.causationId !== undefined ? options.causationId : (scope?.causationId ?? null),
    data,
  };
}

/**
 * Parses a received message and checks it against the envelope schema and the contract.
 * Throws a ContractViolation (direction `receive`) naming what is wrong.
 */
export function decodeEnvelope<S extends z.ZodType>(
  raw: string,
  contract: { topic: string; type: string; version: number },
  schema: S,
): Envelope<z.infer<S>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ContractViolation(contract.topic, 'receive', [
      { path: '', message: `not JSON (${describeError(error)})` },
    ]);
  }
  const envelope = validateMessage(envelopeSchema, parsed, contract.topic, 'receive') as Envelope;
  if (envelope.type !== contract.type || envelope.version !== contract.version) {
    throw new ContractViolation(contract.topic, 'receive', [
      {
        path: 'type',
        message: `expected ${contract.type} v${contract.version}, got ${envelope.type} v${envelope.version}`,
      },
    ]);
  }
  return { ...envelope, data: validateMessage(schema, envelope.data, contract.topic, 'receive') };
}

/** The original message for a dead letter: the parsed JSON when possible, else the raw text. */
export function originalMessage(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function buildDeadLetter(
  topic: string,
  group: string,
  attempts: number,
  reason: string,
  raw: string,
): DeadLetter {
  return {
    topic,
    group,
    attempts,
    reason,
    failedAt: new Date().toISOString(),
    message: originalMessage(raw),
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function randomKey(): string {
  return randomUUID();
}

/** The envelope of a request: a random key unless the caller names one (requests need no order). */
export function requestEnvelope<T>(
  contract: { type: string; version: number },
  valid: T,
  options: RequestOptions,
): Envelope<T> {
  return newEnvelope(contract, valid, {
    key: options.key ?? randomKey(),
    correlationId: options.correlationId,
  });
}

/** Both adapters refuse a second handler of one topic in one group: which would get a message? */
export function duplicateHandlerError(group: string, topic: string): Error {
  return new Error(
    `Group "${group}" already has a handler for ${topic}; one handler per topic and group`,
  );
}

/**
 * The caller's half of request/reply, the same on every adapter: runs `exchange` (send, then
 * wait for the reply), turns a failure reply into a RemoteError, validates the result against
 * the contract, and times it all under its outcome.
 */
export async function timedRequest<C extends RequestContract>(
  metrics: BusMetrics,
  contract: C,
  exchange: () => Promise<ReplyMessage>,
): Promise<z.infer<C['response']>> {
  const stopTimer = metrics.requestSeconds.startTimer({ topic: contract.topic });
  let outcome: RequestOutcome = 'failed';
  try {
    const message = await exchange().catch((error: unknown) => {
      if (error instanceof RequestTimeoutError) outcome = 'timeout';
      throw error;
    });
    if (!message.ok) {
      outcome = 'remote_error';
      const { status, code, message: text, errors, details } = message.error;
      throw new RemoteError(contract.topic, status, code, text, errors, details);
    }
    outcome = 'invalid_reply';
    const result = validateMessage(contract.response, message.result, contract.topic, 'receive');
    outcome = 'ok';
    return result as z.infer<C['response']>;
  } finally {
    stopTimer({ outcome });
  }
}
