import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  CORRELATION_HEADER,
  Correlation,
  correlationIdFrom,
  PinoNestLogger,
  createRootLogger,
  observeHttpRequest,
} from '@mercato/observability';
import { ZodValidationPipe } from 'nestjs-zod';
import type { LevelWithSilent } from 'pino';
import { ProblemDetailsFilter } from './problem-details.filter';
import {
  clientErrorAsProblem,
  frameworkErrorAsProblem,
  MAX_PARAM_LENGTH,
  refuseLongUris,
  refuseUnservedMethods,
} from './protocol-errors';

export interface HttpAppOptions {
  service: string;
  logLevel: LevelWithSilent;
  /** One log line per request; off by default to keep the hot path free of I/O. */
  logRequests: boolean;
  /** Fastify's `trustProxy` (config TRUST_PROXY): who may set `request.ip` via X-Forwarded-For. */
  trustProxy?: boolean | number | string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** From `X-Correlation-Id` when it is safe, else a new UUID; echoed in the response. */
    correlationId: string;
  }
}

/**
 * Creates a Nest app on Fastify with what every Mercato app serves the same way: JSON logs,
 * correlation ids, request metrics, zod validation of inputs and problem+json errors.
 */
export async function createHttpApp(
  rootModule: unknown,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const logger = createRootLogger(options.service, options.logLevel);
  const adapter = new FastifyAdapter({
    logger: false,
    bodyLimit: 5 * 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    clientErrorHandler: clientErrorAsProblem,
    frameworkErrors: frameworkErrorAsProblem,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule as Parameters<typeof NestFactory.create>[0],
    adapter,
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );

  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('correlationId', '');
  fastify.addHook('onRequest', (request, reply, done) => {
    request.correlationId = correlationIdFrom(request.headers[CORRELATION_HEADER]);
    void reply.header(CORRELATION_HEADER, request.correlationId);
    done();
  });
  fastify.addHook('onRequest', refuseLongUris);
  fastify.addHook('onRequest', refuseUnservedMethods);
  // The scope starts after the onRequest hooks, so an answer served from a hook (a read-model
  // hit) does not pay for it (measured: an AsyncLocalStorage scope per request costs ~20% of
  // a minimal Fastify server's throughput). Everything that reaches Nest runs inside it, which
  // makes the id visible to every log line and every bus message the request causes. A process
  // that carries ids explicitly (the gateway) has no scope to start.
  if (Correlation.propagation === 'scoped') {
    fastify.addHook('preParsing', (request, _reply, payload, done) => {
      Correlation.run({ correlationId: request.correlationId, causationId: null }, () =>
        done(null, payload),
      );
    });
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (options.logRequests) {
      logger.info(
        {
          method: request.method,
          route,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
    }
    done();
  });

  app.useGlobalPipes(new ZodValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  return app;
}

/** Listens and returns the address, logging where the app can be reached. */
export async function listen(app: INestApplication, port: number, host: string): Promise<string> {
  await app.listen(port, host);
  return app.getUrl();
}
