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
import { RemoteError, RequestTimeoutError, toReplyError, type ReplyError } from './errors';
import type { DeadLetter, EventHandler, RequestHandler, RetryPolicy } from './message-bus';

/** Shared by the adapters; not exported from the lib's index. */

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

/** Runs a handler in the correlation scope of the message it handles. */
export function inMessageScope<T>(envelope: Envelope, fn: () => Promise<T>): Promise<T> {
  return Correlation.run({ correlationId: envelope.correlationId, causationId: envelope.id }, fn);
}

/** The reply error sent when the answering handler's result violates the response contract. */
export const INVALID_RESPONSE: ReplyError = {
  status: 500,
  code: 'INVALID_RESPONSE',
  message: 'The service answered with a response that violates its contract',
};

/** The reply error sent when a request does not match its contract on receipt. */
export function invalidRequest(violation: ContractViolation): ReplyError {
  return { status: 400, code: 'CONTRACT_VIOLATION', message: violation.message };
}

export function randomKey(): string {
  return randomUUID();
}

export type DeliveryResult =
  | { outcome: 'handled' }
  | { outcome: 'failed'; attempts: number; reason: string }
  /** The bus is closing: leave the message uncommitted, it is redelivered after a restart. */
  | { outcome: 'aborted' };

/**
 * Calls an event handler until it succeeds or `maxAttempts` deliveries failed, waiting
 * backoffMs · 2^(n-1) between attempts. `wait` resolves false when the bus is closing.
 */
export async function deliverWithRetries(args: {
  topic: string;
  group: string;
  envelope: Envelope;
  handler: EventHandler<unknown>;
  retry: RetryPolicy;
  metrics: BusMetrics;
  logger: BusLogger;
  wait: (ms: number) => Promise<boolean>;
}): Promise<DeliveryResult> {
  const { topic, group, envelope, handler, retry, metrics, logger } = args;
  for (let attempt = 1; ; attempt++) {
    const stopTimer = metrics.handlerSeconds.startTimer({ topic, group });
    try {
      await inMessageScope(envelope, () => handler(envelope.data, envelope));
      stopTimer();
      metrics.messages.inc({ topic, group, outcome: 'handled' });
      return { outcome: 'handled' };
    } catch (error) {
      stopTimer();
      const reason = `handler failed on attempt ${attempt} of ${retry.maxAttempts}: ${describeError(error)}`;
      if (attempt >= retry.maxAttempts) return { outcome: 'failed', attempts: attempt, reason };
      metrics.messages.inc({ topic, group, outcome: 'retried' });
      logger.warn(`${topic} (${group}) message ${envelope.id}: ${reason}; retrying`);
      if (!(await args.wait(retryDelay(retry, attempt)))) return { outcome: 'aborted' };
    }
  }
}

/**
 * Runs a request handler once and turns its outcome into the reply: the result checked against
 * the response contract, or the handler's error (its status and code) — never a redelivery.
 */
export async function answerOnce(args: {
  contract: RequestContract;
  envelope: Envelope;
  handler: RequestHandler<unknown, unknown>;
  metrics: BusMetrics;
  logger: BusLogger;
}): Promise<ReplyMessage> {
  const { contract, envelope, handler, metrics, logger } = args;
  const { topic, owner: group } = contract;
  const stopTimer = metrics.handlerSeconds.startTimer({ topic, group });
  let reply: ReplyMessage;
  try {
    const result = await inMessageScope(envelope, () => handler(envelope.data, envelope));
    try {
      reply = { ok: true, result: validateMessage(contract.response, result, topic, 'reply') };
    } catch (violation) {
      logger.error(
        `${topic}: the handler's response violates the contract: ${describeError(violation)}`,
      );
      reply = { ok: false, error: INVALID_RESPONSE };
    }
  } catch (error) {
    reply = { ok: false, error: toReplyError(error) };
    if (reply.error.status >= 500) logger.error(`${topic} handler failed: ${describeError(error)}`);
  }
  stopTimer();
  metrics.messages.inc({ topic, group, outcome: 'handled' });
  return reply;
}

/** A request waiting for its reply. */
export interface PendingRequest {
  resolve: (reply: ReplyMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Registers a request in `pending`; rejects with RequestTimeoutError when no reply comes in time. */
export function awaitReply(
  pending: Map<string, PendingRequest>,
  requestId: string,
  topic: string,
  timeoutMs: number,
): Promise<ReplyMessage> {
  return new Promise<ReplyMessage>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(requestId);
      reject(new RequestTimeoutError(topic, timeoutMs));
    }, timeoutMs);
    pending.set(requestId, { resolve, reject, timer });
  });
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
      const { status, code, message: text, errors } = message.error;
      throw new RemoteError(contract.topic, status, code, text, errors);
    }
    outcome = 'invalid_reply';
    const result = validateMessage(contract.response, message.result, contract.topic, 'receive');
    outcome = 'ok';
    return result as z.infer<C['response']>;
  } finally {
    stopTimer({ outcome });
  }
}
