import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectConfig } from '@mercato/config';
import type { Region } from '@mercato/contracts';
import { CORRELATION_HEADER, correlationIdFrom, httpLatencyRecorder } from '@mercato/observability';
import { parseRegion, REGION_HEADER } from '../common/region.decorator';
import { isProductId } from './product-id';
import { ProductDetailReadModel } from './product-detail.read-model';

const ROUTE = '/v1/products/:productId';
const DETAIL_PREFIX = '/v1/products/';
/**
 * The longest request target the door answers. Longer ones go on to Fastify, which refuses
 * those over 8 KiB with 414 (`refuseLongUris`, libs/runtime/src/protocol-errors.ts): the door
 * must never answer 200 where Fastify answers 414.
 */
const MAX_TARGET_LENGTH = 2048;
const JSON_TYPE = 'application/json; charset=utf-8';
const latencyOfHits = httpLatencyRecorder('GET', ROUTE, 200);

/**
 * The product id of a product detail request target — `/v1/products/{id}`, with or without a
 * query string (ignored, as the route ignores it) — or undefined for any other target, or one
 * whose id is not a product id as written (percent-encoded, say: Nest decodes and judges it).
 */
export function detailTargetProductId(url: string | undefined): string | undefined {
  if (url === undefined || url.length > MAX_TARGET_LENGTH || !url.startsWith(DETAIL_PREFIX)) {
    return undefined;
  }
  const query = url.indexOf('?', DETAIL_PREFIX.length);
  const productId = url.slice(DETAIL_PREFIX.length, query === -1 ? undefined : query);
  return isProductId(productId) ? productId : undefined;
}

/**
 * The region the door may answer in, or undefined to leave the request to Nest: without
 * X-Region a signed-in caller's region comes from their token, which only the guards check, and
 * an unknown or empty X-Region is Nest's 400.
 */
export function doorRegion(header: unknown, authorization: unknown): Region | undefined {
  if (header === undefined && authorization !== undefined) return undefined;
  return parseRegion(header);
}

/**
 * How a product detail request is served — one path (docs/architecture.md, "How a product
 * detail request is served"):
 *
 * 1. The door (this class): the HTTP server's `request` event, in front of Fastify. A `GET` of
 *    `/v1/products/{id}` (any query string) whose id passes `isProductId` (product-id.ts) and
 *    whose region `parseRegion` settles (common/region.decorator.ts) is answered here when this
 *    process holds the detail JSON (`ProductDetailReadModel.peek`): 200, the JSON as stored,
 *    `content-type`, `content-length` and `X-Correlation-Id` (read or made, as Fastify's hook
 *    does), its latency in the route's histogram. No Fastify request or reply is built (measured
 *    with wrk on the stack: answering from a Fastify hook served 0.70× a raw node:http server,
 *    the door 0.86×, docs/performance.md).
 * 2. Everything else goes on to Fastify and Nest, unchanged: a miss, a HEAD, an id or region the
 *    door cannot settle, a signed-in caller without X-Region. `CatalogController.product`
 *    validates the id (`ProductIdParamDto`, the same rule: 400) and the region
 *    (`@RequestRegion()`, the same parser: 400 `UNKNOWN_REGION`, or the token's region after
 *    the guards), then `ProductDetailReadModel.json` answers from the read model or asks
 *    catalog and inventory (unknown product: 404 `PRODUCT_NOT_FOUND`) and fills it.
 *
 * With LOG_REQUESTS on, the door stays shut, so every request passes Fastify's logging hook.
 */
@Injectable()
export class ProductDetailFastPath implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly readModel: ProductDetailReadModel,
    @InjectConfig() private readonly config: { LOG_REQUESTS?: boolean },
  ) {}

  onModuleInit(): void {
    if (this.config.LOG_REQUESTS) return;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (typeof server?.listeners !== 'function') return; // no HTTP server (e.g. a module test)
    this.openTheDoor(server);
  }

  /** Puts `serveAtTheDoor` in front of the server's request listeners (Fastify's). */
  private openTheDoor(server: Server): void {
    const inner = server.listeners('request') as ((
      req: IncomingMessage,
      res: ServerResponse,
    ) => void)[];
    if (inner.length === 0) return;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.serveAtTheDoor(req, res)) return;
      for (const listener of inner) listener.call(server, req, res);
    });
  }

  /** Answers a read-model hit and says true, or says false and leaves the request untouched. */
  serveAtTheDoor(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET') return false;
    const productId = detailTargetProductId(req.url);
    if (productId === undefined) return false;
    const region = doorRegion(req.headers[REGION_HEADER], req.headers.authorization);
    if (region === undefined) return false;
    const json = this.readModel.peek(productId, region);
    if (json === undefined) return false;
    const started = performance.now();
    // The headers Fastify would send, in its order.
    res.writeHead(200, {
      [CORRELATION_HEADER]: correlationIdFrom(req.headers[CORRELATION_HEADER]),
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(json),
    });
    res.end(json);
    latencyOfHits.observe((performance.now() - started) / 1000);
    return true;
  }
}
