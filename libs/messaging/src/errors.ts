/**
 * Errors crossing the request/reply boundary. A handler signals an expected failure by
 * throwing an error with `status` (HTTP-like) and `code`; the caller receives a RemoteError
 * with the same status and code, so the gateway can answer with the right problem+json.
 */
export interface ReplyError {
  status: number;
  code: string;
  message: string;
}

export class RemoteError extends Error {
  constructor(
    readonly topic: string,
    readonly status: number,
    readonly code: string,
    message: string,
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
  return { status, code, message };
}
