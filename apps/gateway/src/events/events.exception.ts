import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ServiceException, type FieldProblem } from '@mercato/messaging';
import { PROBLEM_CONTENT_TYPE, problem } from '@mercato/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EventsErrorCode } from './interaction.rules';

const STATUS: Readonly<Record<EventsErrorCode, number>> = {
  [EventsErrorCode.DeviceIdRequired]: 400,
  [EventsErrorCode.InvalidDeviceId]: 400,
  [EventsErrorCode.InvalidRequest]: 400,
  [EventsErrorCode.BatchTooLarge]: 400,
  [EventsErrorCode.InvalidEvent]: 400,
  [EventsErrorCode.MissingField]: 400,
  [EventsErrorCode.OccurredAtInFuture]: 400,
  [EventsErrorCode.OccurredAtTooOld]: 400,
  [EventsErrorCode.UnknownProduct]: 400,
  [EventsErrorCode.ProductLookupUnavailable]: 503,
  [EventsErrorCode.EventsUnavailable]: 503,
};

/** A refusal of `POST /v1/events` as a whole. */
export class EventsException extends ServiceException<EventsErrorCode> {
  constructor(code: EventsErrorCode, message: string, errors?: FieldProblem[]) {
    super(STATUS, code, message, errors);
  }
}

/**
 * EventsException as problem+json with its field `errors`: the shared filter carries `errors`
 * only for errors that came over the bus, and these refusals are the gateway's own.
 */
@Catch(EventsException)
export class EventsExceptionFilter implements ExceptionFilter<EventsException> {
  catch(exception: EventsException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (exception.status === 503) void reply.header('Retry-After', '1');
    void reply
      .status(exception.status)
      .header('Content-Type', PROBLEM_CONTENT_TYPE)
      .send(
        problem(exception.status, exception.message, {
          code: exception.code,
          ...(exception.errors?.length ? { errors: exception.errors } : {}),
          instance: request.url,
          correlationId: request.correlationId,
        }),
      );
  }
}
