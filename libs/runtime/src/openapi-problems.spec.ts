import type { OpenAPIObject } from '@nestjs/swagger';
import { declareProblemResponses } from './openapi-problems';

const PROBLEM = { $ref: '#/components/schemas/ProblemDetails' };

function documentWith(paths: Record<string, unknown>): OpenAPIObject {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths,
    components: {
      schemas: { ProblemDetailsDto: { type: 'object' } },
    },
  } as OpenAPIObject;
}

describe('declareProblemResponses', () => {
  it('declares a controller’s error responses as problem+json with the problem schema', () => {
    const document = declareProblemResponses(
      documentWith({
        '/v1/things': {
          get: {
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
              '409': {
                description: 'taken',
                content: {
                  'application/json': {
                    schema: { $ref: '#/components/schemas/ProblemDetailsDto' },
                  },
                },
              },
            },
          },
        },
      }),
    );
    const responses = document.paths['/v1/things'].get!.responses as Record<string, any>;
    expect(responses['409']).toEqual({
      description: 'taken',
      content: { 'application/problem+json': { schema: PROBLEM } },
    });
    expect(responses['200'].content).toHaveProperty('application/json');
    expect(document.components!.schemas).toHaveProperty('ProblemDetails');
    expect(document.components!.schemas).not.toHaveProperty('ProblemDetailsDto');
  });

  it('keeps named examples (one per code) of a status that has several', () => {
    const examples = {
      CART_EMPTY: { summary: 'CART_EMPTY', value: { status: 422, code: 'CART_EMPTY' } },
      FRAUD_REJECTED: { summary: 'FRAUD_REJECTED', value: { status: 422, code: 'FRAUD_REJECTED' } },
    };
    const document = declareProblemResponses(
      documentWith({
        '/v1/things': {
          post: {
            responses: {
              '422': {
                description: 'refused',
                content: { 'application/json': { schema: PROBLEM, examples } },
              },
            },
          },
        },
      }),
    );
    const responses = document.paths['/v1/things'].post!.responses as Record<string, any>;
    expect(responses['422'].content).toEqual({
      'application/problem+json': { schema: PROBLEM, examples },
    });
  });

  it('adds the errors of the HTTP layer by the operation’s shape', () => {
    const document = declareProblemResponses(
      documentWith({
        '/v1/things/{id}': {
          put: {
            parameters: [{ in: 'path', name: 'id', required: true }],
            requestBody: { content: { 'application/json': { schema: {} } } },
            security: [{ bearer: [] }],
            responses: { '200': { description: 'ok' } },
          },
        },
        '/v1/open': { get: { responses: { '200': { description: 'ok' } } } },
      }),
    );
    const statuses = (path: string, method: 'get' | 'put') =>
      Object.keys((document.paths[path] as any)[method].responses).sort();
    expect(statuses('/v1/things/{id}', 'put')).toEqual([
      '200',
      '400',
      '401',
      '404',
      '413',
      '414',
      '415',
      '431',
    ]);
    expect(statuses('/v1/open', 'get')).toEqual(['200', '414', '431']);
  });

  it('documents Retry-After on 429', () => {
    const document = declareProblemResponses(
      documentWith({
        '/v1/auth/login': { post: { responses: { '429': { description: 'slow down' } } } },
      }),
    );
    const tooMany = (document.paths['/v1/auth/login'].post!.responses as any)['429'];
    expect(tooMany.headers['Retry-After'].schema).toEqual({ type: 'integer', minimum: 1 });
  });
});
