import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from './problem-details';

type Operation = {
  parameters?: { in?: string }[];
  requestBody?: unknown;
  security?: unknown[];
  responses?: Record<string, Response>;
};
type Response = { description?: string; content?: Record<string, unknown>; headers?: object };

export const PROBLEM_SCHEMA_NAME = 'ProblemDetails';
const PROBLEM_REF = { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` };
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Errors the HTTP layer answers for any route of a given shape, whatever its controller
 * declares: the framework raises them before a handler runs (see createHttpApp and
 * ProblemDetailsFilter), so a client must expect them on every route of that shape.
 */
const LAYER_ERRORS: { status: string; description: string; applies(op: Operation): boolean }[] = [
  {
    status: '400',
    description: 'Invalid parameters, headers or body; `errors` names each field',
    applies: (op) => Boolean(op.requestBody) || (op.parameters ?? []).length > 0,
  },
  {
    status: '401',
    description: 'Missing, expired or invalid credentials',
    applies: (op) => (op.security ?? []).length > 0,
  },
  {
    status: '404',
    description: 'No such resource, or not yours',
    applies: (op) => (op.parameters ?? []).some((p) => p.in === 'path'),
  },
  {
    status: '413',
    description: 'The body is larger than the route accepts',
    applies: (op) => Boolean(op.requestBody),
  },
  {
    status: '414',
    description: 'The URI is longer than 8 KiB',
    applies: () => true,
  },
  {
    status: '415',
    description: 'The body is not `application/json`',
    applies: (op) => Boolean(op.requestBody),
  },
  {
    status: '431',
    description: 'The request headers are larger than the server accepts',
    applies: () => true,
  },
];

/**
 * Makes every error response in the document truthful: declared as `application/problem+json`
 * with the problem schema (the only way ProblemDetailsFilter answers errors), and present on
 * every operation that can answer it. Returns the same document, changed in place.
 */
export function declareProblemResponses(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  schemas[PROBLEM_SCHEMA_NAME] = problemJsonSchema();

  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = (pathItem as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const responses = (operation.responses ??= {});
      for (const error of LAYER_ERRORS) {
        if (!responses[error.status] && error.applies(operation)) {
          responses[error.status] = { description: error.description };
        }
      }
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400) declareProblem(status, response);
      }
    }
  }
  // Controllers name the same body through their own DTO; it is now referenced nowhere.
  for (const name of Object.keys(schemas)) {
    if (
      name !== PROBLEM_SCHEMA_NAME &&
      /^ProblemDetails/.test(name) &&
      !isReferenced(document, name)
    ) {
      delete schemas[name];
    }
  }
  return document;
}

function isReferenced(document: OpenAPIObject, schemaName: string): boolean {
  return JSON.stringify(document).includes(`"#/components/schemas/${schemaName}"`);
}

function declareProblem(status: string, response: Response): void {
  const media = Object.values(response.content ?? {}) as {
    example?: unknown;
    examples?: Record<string, unknown>;
  }[];
  const examples = media.map((m) => m.example).filter((example) => example !== undefined);
  // One example per code where a status has several (`examples`); OpenAPI allows one or other.
  const named = media.map((m) => m.examples).find((e) => e && Object.keys(e).length);
  response.content = {
    [PROBLEM_CONTENT_TYPE]: {
      schema: PROBLEM_REF,
      ...(named ? { examples: named } : examples.length ? { example: examples[0] } : {}),
    },
  };
  if (status === '429' || status === '503') {
    response.headers = {
      ...response.headers,
      'Retry-After': {
        description: 'Seconds to wait before trying again',
        schema: { type: 'integer', minimum: 1 },
      },
    };
  }
}

function problemJsonSchema(): Record<string, unknown> {
  const { $schema: _draft, ...schema } = z.toJSONSchema(problemDetailsSchema, { io: 'output' });
  return schema;
}
