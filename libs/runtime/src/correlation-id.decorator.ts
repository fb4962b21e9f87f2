import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The request's correlation id (from `X-Correlation-Id`, or the one made for it), for code that
 * passes it on explicitly: in a process without correlation scopes (the gateway) each bus call
 * must be given it, or the services would start a new id.
 */
export const RequestCorrelationId = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<FastifyRequest>().correlationId,
);
