import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** The largest `POST /v1/events` body (docs/api.md): 100 events fit in it with room to spare. */
export const EVENTS_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Gives `POST /v1/events` its own body limit, below the gateway's 5 MB: Fastify then refuses a
 * larger body with 413 while reading it, before it is parsed. Nest has no route option for
 * it, so the limit is set as Fastify registers the route; providers are created before Nest
 * registers routes, so the hook is in place in time.
 */
@Injectable()
export class EventsBodyLimit {
  constructor(adapterHost: HttpAdapterHost) {
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onRoute', (route) => {
      if (route.url === '/v1/events' && route.method === 'POST') {
        route.bodyLimit = EVENTS_BODY_LIMIT_BYTES;
      }
    });
  }
}
