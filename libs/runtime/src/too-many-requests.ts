import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A 429 that says when to come back: the problem filter sends `retryAfterSeconds` (whole
 * seconds, at least 1) as the `Retry-After` header, and `code` in the problem body.
 */
export class TooManyRequestsException extends HttpException {
  readonly retryAfterSeconds: number;

  constructor(detail: string, retryAfterSeconds: number, code = 'TOO_MANY_ATTEMPTS') {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super({ message: detail, code, retryAfterSeconds: seconds }, HttpStatus.TOO_MANY_REQUESTS);
    this.retryAfterSeconds = seconds;
  }
}

/**
 * The `Retry-After` seconds an error carries: an HttpException whose response has a positive
 * `retryAfterSeconds` (as TooManyRequestsException's has), rounded up; otherwise undefined.
 */
export function retryAfterOf(exception: unknown): number | undefined {
  if (!(exception instanceof HttpException)) return undefined;
  const response = exception.getResponse() as { retryAfterSeconds?: unknown };
  const seconds = typeof response === 'object' ? response?.retryAfterSeconds : undefined;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? Math.ceil(seconds)
    : undefined;
}
