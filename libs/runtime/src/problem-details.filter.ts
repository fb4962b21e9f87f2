import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ContractViolation, zodFieldErrors } from '@mercato/contracts';
import { RemoteError, RequestTimeoutError } from '@mercato/messaging';
import { Correlation } from '@mercato/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { FieldError, PROBLEM_CONTENT_TYPE, ProblemDetails, problem } from './problem-details';
import { retryAfterOf } from './too-many-requests';

/**
 * The one place where errors become HTTP answers: every error leaves as problem+json, with the
 * correlation id, and never with a stack trace. Unknown errors are logged and become a plain 500.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const body = this.toProblem(exception);
    body.code ??= defaultCode(body.status);
    body.instance = request.url;
    body.correlationId = Correlation.currentId() ?? request.correlationId;
    if (body.status >= 500) {
      // Named here as well: a process without correlation scopes (the gateway) logs no id itself.
      this.logger.error({
        msg: exception instanceof Error ? exception.message : String(exception),
        correlationId: body.correlationId,
        err: exception,
      });
    }
    if (body.status === 429 || body.status === 503) {
      // The wait the error names (a throttle's real window), else a second.
      reply.header('Retry-After', String(retryAfterOf(exception) ?? 1));
    }
    void reply.status(body.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(body);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ZodValidationException) {
      const errors = fieldErrors(exception.getZodError());
      return problem(400, describeFieldErrors(errors), { errors, code: 'INVALID_REQUEST' });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const detail =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      if (status === 404 && NO_ROUTE.test(detail)) {
        return problem(404, `No route matches ${detail.replace(/^Cannot /, '')}`, {
          code: 'ROUTE_NOT_FOUND',
        });
      }
      const code = (response as { code?: unknown }).code;
      return problem(status, detail, typeof code === 'string' ? { code } : {});
    }
    if (exception instanceof RemoteError) {
      return exception.status >= 500
        ? problem(502, 'A service behind the gateway failed to answer', { code: exception.code })
        : problem(exception.status, exception.message, {
            code: exception.code,
            ...(exception.errors?.length ? { errors: exception.errors } : {}),
            ...(exception.details ? { details: exception.details } : {}),
          });
    }
    if (exception instanceof RequestTimeoutError) {
      return problem(504, 'A service behind the gateway did not answer in time', {
        code: exception.code,
      });
    }
    if (exception instanceof ContractViolation) {
      return problem(502, 'A service answered with a message that breaks its contract', {
        code: 'CONTRACT_VIOLATION',
      });
    }
    const status = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Errors Fastify raises before Nest sees the request (malformed JSON, body too large…).
      return problem(status, String((exception as Error).message));
    }
    return problem(500, 'An unexpected error occurred; quote the correlation id when reporting it');
  }
}

/** Nest's message for a request that matched no route: `Cannot GET /v1/nowhere`. */
const NO_ROUTE = /^Cannot [A-Z]+ /;
/** `NOT_FOUND` for 404 and so on: every problem carries a code a client can branch on. */
function defaultCode(status: number): string {
  return (STATUS_CODES[status] ?? 'Error').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function fieldErrors(error: unknown): FieldError[] {
  if (!(error instanceof ZodError)) return [{ field: '(body)', message: 'Invalid input' }];
  return zodFieldErrors(error).map(({ field, message }) => ({
    field: field || '(body)',
    message,
  }));
}

function describeFieldErrors(errors: FieldError[]): string {
  const fields = [...new Set(errors.map((e) => e.field))];
  return `Invalid request: ${fields.join(', ')}`;
}
