import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { REGIONS, type Region } from '@mercato/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProductDetailReadModel } from './product-detail.read-model';

const ROUTE = '/v1/products/:productId';
const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KNOWN_REGIONS = new Set<string>(REGIONS);

/**
 * The hottest read of the store answered at the door: when this process holds a product's
 * detail JSON, a Fastify onRequest hook sends it before Nest's pipeline runs (PERFORMANCE.md:
 * Nest's per-request work is most of the cost once the body needs no serialising). Everything
 * else — a miss, an unknown region, a malformed id — continues to the controller, which
 * validates, answers problems and fills the read model. Correlation ids and request metrics come
 * from hooks that run around this one, so nothing an operator sees changes.
 */
@Injectable()
export class ProductDetailFastPath implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly readModel: ProductDetailReadModel,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (typeof fastify?.addHook !== 'function') return; // no HTTP server (e.g. a module test)
    fastify.addHook('onRequest', (request, reply, done) => {
      if (!this.serve(request, reply)) done();
    });
  }

  private serve(request: FastifyRequest, reply: FastifyReply): boolean {
    if (request.method !== 'GET' || request.routeOptions.url !== ROUTE) return false;
    const { productId } = request.params as { productId?: string };
    const header = request.headers['x-region'];
    // Without X-Region a signed-in caller's region comes from their token: Nest's guards decide.
    if (header === undefined && request.headers.authorization !== undefined) return false;
    const region = header === undefined ? 'us' : String(header).toLowerCase();
    if (!productId || !PRODUCT_ID.test(productId) || !KNOWN_REGIONS.has(region)) return false;
    const json = this.readModel.peek(productId, region as Region);
    if (json === undefined) return false;
    void reply.header('content-type', 'application/json; charset=utf-8').send(json);
    return true;
  }
}
