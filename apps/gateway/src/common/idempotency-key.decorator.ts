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

/** The request's `Idempotency-Key` where a route cannot run without one: absent is a 400. */
export const RequiredIdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string => {
    const key = resolveIdempotencyKey(
      context.switchToHttp().getRequest<FastifyRequest>().headers[IDEMPOTENCY_HEADER],
    );
    if (key === undefined) {
      throw new BadRequestException({
        message: 'This route needs an Idempotency-Key header (a new one per attempt to buy)',
        code: 'IDEMPOTENCY_KEY_REQUIRED',
      });
    }
    return key;
  },
);

/** Documents the required header in OpenAPI. */
export const RequiredIdempotencyKeyHeader = (description: string): MethodDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description,
    schema: { type: 'string', maxLength: 128, example: '9d2f6c1a-checkout-1' },
  });
