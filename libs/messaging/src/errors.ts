/**
 * Errors crossing the request/reply boundary. A handler signals an expected failure by
 * throwing an error with `status` (HTTP-like) and `code`; the caller receives a RemoteError
 * with the same status and code, so the gateway can answer with the right problem+json.
 */
export interface ReplyError {
  status: number;
  code: string;
  message: string;
  /** Field-level problems of a rejected input (`field` is a dotted path into the request). */
  errors?: FieldProblem[];
  /**
   * Facts about a refusal that a client acts on (the SKU short and what is available), beyond
   * the message: JSON values only. The gateway answers them as the problem's `details`.
   */
  details?: ProblemFacts;
}

/** The machine-readable facts of a refusal (`ReplyError.details`): a JSON object. */
export type ProblemFacts = Record<string, unknown>;

/** One field-level problem of a rejected input; `field` is a dotted path into the request. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * An expected failure of a service command or query: thrown by a handler, it reaches the caller
 * as a RemoteError with the same `status`, `code` and field `errors` (and the client as
 * problem+json). Each service subclasses it with its own code enum and code → status table:
 *
 *   class InventoryException extends ServiceException<InventoryErrorCode> {
 *     constructor(code: InventoryErrorCode, message: string, errors?: FieldProblem[]) {
 *       super(STATUS, code, message, errors);
 *     }
 *   }
 */
export abstract class ServiceException<C extends string = string> extends Error {
  readonly status: number;

  protected constructor(
    statusOf: Readonly<Record<C, number>>,
    readonly code: C,
    message: string,
    readonly errors?: FieldProblem[],
    readonly details?: ProblemFacts,
  ) {
    super(message);
    this.name = new.target.name;
    this.status = statusOf[code];
  }
}

export class RemoteError extends Error {
  constructor(
    readonly topic: string,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldProblem[],
    readonly details?: ProblemFacts,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export class RequestTimeoutError extends Error {
  readonly status = 504;
  readonly code = 'REQUEST_TIMEOUT';
  constructor(
    readonly topic: string,
    readonly timeoutMs: number,
  ) {
    super(`No reply on ${topic} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** Reads status and code off any thrown value, defaulting to an internal error. */
export function toReplyError(error: unknown): ReplyError {
  const candidate = error as { status?: unknown; code?: unknown; message?: unknown };
  const status =
    typeof candidate?.status === 'number' && candidate.status >= 400 && candidate.status < 600
      ? candidate.status
      : 500;
  const code = typeof candidate?.code === 'string' ? candidate.code : 'INTERNAL';
  const message =
    status >= 500 && code === 'INTERNAL'
      ? 'The service failed to answer'
      : String(candidate?.message ?? 'Request failed');
  const errors = Array.isArray((candidate as { errors?: unknown })?.errors)
    ? ((candidate as { errors: unknown[] }).errors as { field?: unknown; message?: unknown }[])
        .slice(0, 100)
        .map((e) => ({ field: String(e?.field ?? ''), message: String(e?.message ?? '') }))
    : undefined;
  const details = (candidate as { details?: unknown })?.details;
  if (status >= 500) return { status, code, message };
  return {
    status,
    code,
    message,
    ...(errors ? { errors } : {}),
    ...(isFacts(details) ? { details: JSON.parse(JSON.stringify(details)) as ProblemFacts } : {}),
  };
}

function isFacts(value: unknown): value is ProblemFacts {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
