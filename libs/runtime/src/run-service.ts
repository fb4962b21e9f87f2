import type { AddressInfo } from 'node:net';
import { Logger, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type CoreConfig, loadConfigOrExit } from '@mercato/config';
import { Correlation, type CorrelationPropagation } from '@mercato/observability';
import type { z } from 'zod';
import { createHttpApp } from './create-http-app';
import { explainNodeRuntime } from './node-runtime';
import { serviceRoot } from './service-root';
import { buildOpenApiDocument, serveApiDocs, type ApiDocumentInfo } from './swagger';

export interface ServiceSpec {
  /** Name in logs and metrics: `gateway`, `catalog`, … or `store` for the all-in-one host. */
  service: string;
  features: Type[];
  /** Serve Swagger UI at /docs and OpenAPI at /docs-json (the gateway and the store). */
  docs?: ApiDocumentInfo;
  /**
   * How the process carries correlation ids (default `scoped`). `explicit` for a process whose
   * code passes the id to every bus call itself and whose hot path must not pay for scopes.
   */
  correlation?: CorrelationPropagation;
}

type ServiceConfig = CoreConfig & { PORT: number };

/** Creates (but does not start listening) a Mercato process from a validated config. */
export async function createService(
  config: ServiceConfig,
  spec: ServiceSpec,
): Promise<NestFastifyApplication> {
  Correlation.usePropagation(spec.correlation ?? 'scoped');
  const app = await createHttpApp(serviceRoot(config, spec.features), {
    service: spec.service,
    logLevel: config.LOG_LEVEL,
    logRequests: config.LOG_REQUESTS,
    trustProxy: config.TRUST_PROXY,
  });
  if (spec.docs) {
    await app.init();
    serveApiDocs(app, buildOpenApiDocument(app, spec.docs));
  }
  return app;
}

/** Entry point of every `main.ts`: validate config (exit 78 naming bad values), start, listen. */
export async function runService<S extends z.ZodType<ServiceConfig>>(
  schema: S,
  spec: ServiceSpec,
): Promise<NestFastifyApplication> {
  return startService(loadConfigOrExit(schema, spec.service), spec);
}

/**
 * Creates the process, listens on `config.HOST`:`config.PORT` and logs the address the server
 * really listens on (the port it got when PORT is 0; `0.0.0.0` when it listens on every
 * interface, which is not hidden behind a friendlier name).
 */
export async function startService(
  config: ServiceConfig,
  spec: ServiceSpec,
): Promise<NestFastifyApplication> {
  const app = await createService(config, spec);
  await app.listen(config.PORT, config.HOST);
  const url = listeningUrl(app.getHttpServer().address());
  const everywhere = /^http:\/\/(0\.0\.0\.0|\[::\])[:/]/.test(url) ? ' (every interface)' : '';
  const logger = new Logger(spec.service);
  logger.log(
    `${spec.service} listening on ${url}${everywhere}` +
      (spec.docs ? ` — API docs at ${url}/docs` : '') +
      ` — health at ${url}/health/ready`,
  );
  explainNodeRuntime(logger);
  return app;
}

/** `http://<address>:<port>` of a listening server (IPv6 addresses in brackets). */
export function listeningUrl(address: AddressInfo | string | null): string {
  if (!address || typeof address === 'string') return `http://${address ?? 'unknown'}`;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
