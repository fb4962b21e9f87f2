import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const SAFE_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** Validates an `Idempotency-Key` header value: absent is fine, malformed is a 400. */
export function resolveIdempotencyKey(header: unknown): string | undefined {
  if (header === undefined || header === '') return undefined;
  if (typeof header !== 'string' || !SAFE_KEY.test(header)) {
    throw new BadRequestException(
      'Idempotency-Key must be 1 to 128 characters of letters, digits, ".", "_", ":" or "-"',
    );
  }
  return header;
}

/** The request's `Idempotency-Key` (docs/api.md: writes that create things accept it), if any. */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined =>
    resolveIdempotencyKey(
      context.switchToHttp().getRequest<FastifyRequest>().headers[IDEMPOTENCY_HEADER],
    ),
);

/** Documents the optional header in OpenAPI. */
export const IdempotencyKeyHeader = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description:
    'Makes a retry safe: the same key applies the write once and answers the same result.',
  schema: { type: 'string', maxLength: 128, example: '0b6f2a3e-restock-42' },
});
