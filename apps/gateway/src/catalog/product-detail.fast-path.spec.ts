import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAdapterHost } from '@nestjs/core';
import { httpLatencyRecorder } from '@mercato/observability';
import { parseRegion } from '../common/region.decorator';
import { productIdParamSchema } from './catalog.dto';
import {
  detailTargetProductId,
  doorRegion,
  ProductDetailFastPath,
} from './product-detail.fast-path';
import { isProductId } from './product-id';
import type { ProductDetailReadModel } from './product-detail.read-model';

describe('the product id rule', () => {
  const cases: [string, boolean][] = [
    ['p-000001', true],
    ['A_z-9', true],
    ['x', true],
    ['a'.repeat(64), true],
    ['', false],
    ['a'.repeat(65), false],
    ['p 1', false],
    ['p.1', false],
    ['p%2D1', false],
    ['p-1/availability', false],
    ['é', false],
  ];

  it.each(cases)(
    '%j is a product id: %s — for the door and the route parameters alike',
    (id, ok) => {
      expect(isProductId(id)).toBe(ok);
      expect(productIdParamSchema.safeParse({ productId: id }).success).toBe(ok);
    },
  );

  it('reads the id of a detail request target, with or without a query string', () => {
    expect(detailTargetProductId('/v1/products/p-000001')).toBe('p-000001');
    expect(detailTargetProductId('/v1/products/p-000001?')).toBe('p-000001');
    expect(detailTargetProductId('/v1/products/p-000001?utm=x&a=/b')).toBe('p-000001');
    for (const other of [
      undefined,
      '/v1/products',
      '/v1/products/',
      '/v1/products/?x=1',
      '/v1/products/p-1/',
      '/v1/products/p-1/availability',
      '/v1/products/p%2D1',
      '/V1/products/p-1',
      '//v1/products/p-1',
      `/v1/products/${'a'.repeat(65)}`,
      `/v1/products/p-1?${'q'.repeat(2048)}`, // long targets are Fastify's (414 over 8 KiB)
    ]) {
      expect(detailTargetProductId(other)).toBeUndefined();
    }
  });
});

describe('the X-Region rule', () => {
  it('names a region in any letter case; absent is the caller’s region, else us', () => {
    expect(parseRegion('eu')).toBe('eu');
    expect(parseRegion('AP')).toBe('ap');
    expect(parseRegion(undefined)).toBe('us');
    expect(parseRegion(undefined, 'eu')).toBe('eu');
    expect(parseRegion('ap', 'eu')).toBe('ap');
  });

  it('settles no region for an unknown or empty header (Nest answers 400 UNKNOWN_REGION)', () => {
    for (const header of ['', 'mars', ' us', 'us,eu', ['us'], 1]) {
      expect(parseRegion(header)).toBeUndefined();
      expect(parseRegion(header, 'eu')).toBeUndefined();
    }
  });

  it('at the door, leaves a signed-in caller without X-Region to the guards', () => {
    expect(doorRegion(undefined, undefined)).toBe('us');
    expect(doorRegion(undefined, 'Bearer x')).toBeUndefined();
    expect(doorRegion('EU', 'Bearer x')).toBe('eu');
    expect(doorRegion('', undefined)).toBeUndefined();
  });
});

describe('ProductDetailFastPath (the door)', () => {
  const held = new Map([
    ['us:p-000001', '{"productId":"p-000001","region":"us"}'],
    ['eu:p-000001', '{"productId":"p-000001","region":"eu","title":"Größe"}'],
  ]);
  const readModel = {
    peek: (productId: string, region: string) => held.get(`${region}:${productId}`),
  } as unknown as ProductDetailReadModel;
  const hits = httpLatencyRecorder('GET', '/v1/products/:productId', 200);
  let server: Server;
  let port: number;

  async function start(config: { LOG_REQUESTS?: boolean }): Promise<void> {
    // Stands in for Fastify: whatever reaches it is answered 299 "nest".
    server = createServer((_req, res) => res.writeHead(299).end('nest'));
    const host = { httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost;
    new ProductDetailFastPath(host, readModel, config).onModuleInit();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }

  afterEach(() => new Promise((resolve) => server.close(resolve)));

  function send(
    method: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('answers a held detail with the stored JSON, its headers and a latency sample', async () => {
    await start({});
    const before = hits.count;
    const res = await send('GET', '/v1/products/p-000001', { 'x-correlation-id': 'abc-123' });
    expect(res.status).toBe(200);
    expect(res.body).toBe(held.get('us:p-000001'));
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
    expect(res.headers['x-correlation-id']).toBe('abc-123');
    expect(hits.count).toBe(before + 1);

    const eu = await send('GET', '/v1/products/p-000001?ref=home', { 'x-region': 'EU' });
    expect(eu.body).toBe(held.get('eu:p-000001'));
    expect(eu.headers['content-length']).toBe(String(Buffer.byteLength(eu.body)));
    expect(eu.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    const signedInWithRegion = await send('GET', '/v1/products/p-000001', {
      'x-region': 'eu',
      authorization: 'Bearer any',
    });
    expect(signedInWithRegion.body).toBe(held.get('eu:p-000001'));
  });

  it('leaves everything it cannot settle to Nest', async () => {
    await start({});
    const before = hits.count;
    const passed: [string, string, Record<string, string>?][] = [
      ['HEAD', '/v1/products/p-000001'],
      ['POST', '/v1/products/p-000001'],
      ['GET', '/v1/products/p-000002'], // not held
      ['GET', '/v1/products/p-000001', { 'x-region': 'ap' }], // not held in ap
      ['GET', '/v1/products/p-000001', { 'x-region': '' }],
      ['GET', '/v1/products/p-000001', { 'x-region': 'mars' }],
      ['GET', '/v1/products/p-000001', { authorization: 'Bearer any' }],
      ['GET', '/v1/products/p%2D000001'],
      ['GET', '/v1/products/p-000001/availability'],
      ['GET', `/v1/products/p-000001?${'q'.repeat(3000)}`],
    ];
    for (const [method, path, headers] of passed) {
      const res = await send(method, path, headers);
      expect({ method, path, headers, status: res.status }).toEqual({
        method,
        path,
        headers,
        status: 299,
      });
    }
    expect(hits.count).toBe(before);
  });

  it('stays shut when requests are logged one by one (LOG_REQUESTS)', async () => {
    await start({ LOG_REQUESTS: true });
    const res = await send('GET', '/v1/products/p-000001');
    expect(res.status).toBe(299);
  });
});
