import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { CORRELATION_HEADER, correlationIdFrom } from '@mercato/observability';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from './problem-details';

/**
 * Path parameters longer than this are refused with 414 by the router (Fastify's default is
 * 100). Above every id's own limit, so an over-long id meets its route's validation (400).
 */
export const MAX_PARAM_LENGTH = 1024;

/**
 * The longest request target served (8 KiB, as common proxies allow). Longer ones get 414;
 * a request line plus headers over Node's 16 KiB header limit gets 431 from clientError below.
 */
export const MAX_URI_LENGTH = 8 * 1024;

/** An onRequest hook: answers 414 problem+json before any routing work for an over-long URI. */
export function refuseLongUris(
  request: FastifyRequest,
  reply: FastifyReply,
  done: () => void,
): void {
  if (request.url.length <= MAX_URI_LENGTH) return done();
  const body = problem(
    414,
    `The URI is ${request.url.length} characters; at most ${MAX_URI_LENGTH}`,
    {
      code: 'URI_TOO_LONG',
      instance: request.url.slice(0, 200),
      correlationId: request.correlationId,
    },
  );
  void reply.status(414).header('Content-Type', PROBLEM_CONTENT_TYPE).send(body);
}

/**
 * Fastify's `clientErrorHandler`: errors Node raises while parsing a request, before Fastify
 * has a request object (headers over the limit, a malformed request line, a header timeout).
 * Answered as problem+json like every other error, then the connection is closed, as Node does.
 */
export function clientErrorAsProblem(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The request line and headers exceed 16 KiB']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request was not received in time']
        : [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP/1.1'];
  const body = JSON.stringify(problem(status, detail, { code }));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * Fastify's `frameworkErrors`: what its router refuses before any hook runs (a path parameter
 * over MAX_PARAM_LENGTH: 414; a URL that does not decode: 400), as problem+json.
 */
export function frameworkErrorAsProblem(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const correlationId = correlationIdFrom(request.headers[CORRELATION_HEADER]);
  const [status, code, detail] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'URI_TOO_LONG', `A path parameter is longer than ${MAX_PARAM_LENGTH} characters`]
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'MALFORMED_URL', 'The URL does not decode as UTF-8']
        : [500, 'INTERNAL_SERVER_ERROR', 'The request could not be routed'];
  void reply
    .status(status)
    .header(CORRELATION_HEADER, correlationId)
    .header('Content-Type', PROBLEM_CONTENT_TYPE)
    .send(problem(status, detail, { code, instance: request.url, correlationId }));
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The methods served at the request's path. Fastify matches the concrete URL, so
 * `/v1/seller/products/feed` also matches `PUT /v1/seller/products/:productId`; where a route
 * matches the path literally, only the literal routes count.
 */
export function allowedMethods(request: FastifyRequest): string[] {
  const url = request.url.split('?', 1)[0];
  const matches = METHODS.map((method) => ({
    method,
    route: request.server.findRoute({ method, url }),
  })).filter((match) => match.route !== null);
  const literal = matches.filter((match) => Object.keys(match.route?.params ?? {}).length === 0);
  return (literal.length > 0 ? literal : matches).map((match) => match.method);
}

/**
 * An onRequest hook: a request no route serves, at a path that some route serves with another
 * method, gets 405 with `Allow` — before its body is read, so an unknown method with a body
 * (QUERY, say) is answered the same way.
 */
export function refuseUnservedMethods(
  request: FastifyRequest,
  reply: FastifyReply,
  done: () => void,
): void {
  if (!request.is404) return done();
  const allowed = allowedMethods(request);
  if (allowed.length === 0) return done();
  const body = problem(405, `${request.method} is not served here; use ${allowed.join(', ')}`, {
    code: 'METHOD_NOT_ALLOWED',
    instance: request.url,
    correlationId: request.correlationId,
  });
  void reply
    .status(405)
    .header('Allow', allowed.join(', '))
    .header('Content-Type', PROBLEM_CONTENT_TYPE)
    .send(body);
}
