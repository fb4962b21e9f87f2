import { STATUS_CODES } from 'node:http';
import { z } from 'zod';

/** A field-level validation problem in a 400 response. */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as every Mercato route answers errors. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  correlationId?: string;
  errors?: FieldError[];
  /** Facts of a refusal a client acts on, e.g. `{ sku, available }` of a 409 out of stock. */
  details?: Record<string, unknown>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://mercato.dev/problems/';

export function problem(
  status: number,
  detail: string,
  extra: Partial<Omit<ProblemDetails, 'status' | 'detail'>> = {},
): ProblemDetails {
  const title = extra.title ?? STATUS_CODES[status] ?? 'Error';
  const slug = (extra.code ?? title).toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return { type: `${PROBLEM_TYPE_BASE}${slug}`, title, status, detail, ...extra };
}

/** The problem+json body as an OpenAPI-friendly zod schema (for Swagger error responses). */
export const problemDetailsSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({
    example: {
      type: 'https://mercato.dev/problems/bad-request',
      title: 'Bad Request',
      status: 400,
      detail: 'The request body is invalid',
      instance: '/v1/auth/register',
      correlationId: '7d3c1e8a-5f0b-4a51-9c1e-2b7d4f6a9e10',
      errors: [{ field: 'email', message: 'Invalid email address' }],
    },
  });
