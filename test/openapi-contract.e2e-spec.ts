import { request as httpRequest } from 'node:http';
import { validate, compileErrors } from '@readme/openapi-parser';
import {
  call,
  startEmbeddedStore,
  type RunningStore,
  STORE_CLOSE_MS,
} from './support/embedded-store';
import { ADMIN, ADMIN_ENV } from './support/test-admin';

/**
 * The OpenAPI document at /docs-json is the contract clients and the Swagger UI read: it must
 * be a valid document, say what the HTTP layer really answers, and every request example in
 * it must work when sent as written to a fresh store.
 */
type Json = Record<string, any>;
type Operation = Json & { parameters?: Json[]; requestBody?: Json; responses: Json };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

describe('the OpenAPI document', () => {
  let store: RunningStore;
  let document: Json;

  beforeAll(async () => {
    store = await startEmbeddedStore(ADMIN_ENV);
    document = (await call(store.baseUrl, 'GET', '/docs-json')).body;
  }, 60_000);
  afterAll(() => store?.close(), STORE_CLOSE_MS);

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
    expect(result.valid ? 'valid' : compileErrors(result)).toBe('valid');
  });

  it('declares every error response as application/problem+json with the problem schema', () => {
    const wrong = operations(document).flatMap(({ name, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, response]) => {
          const media = Object.keys((response as Json).content ?? {});
          const schema = (response as Json).content?.['application/problem+json']?.schema;
          return (
            media.join() !== 'application/problem+json' ||
            !schema?.$ref?.endsWith('/ProblemDetails')
          );
        })
        .map(([status]) => `${name} ${status}`),
    );
    expect(wrong).toEqual([]);
  });

  it('documents the errors the HTTP layer answers on every route it applies to', () => {
    const missing = operations(document).flatMap(({ name, operation }) => {
      const expected = ['414', '431'];
      if (operation.requestBody) expected.push('400', '413', '415');
      if (operation.security?.length) expected.push('401');
      if (operation.parameters?.some((p) => p.in === 'path')) expected.push('404');
      return expected.filter((status) => !operation.responses[status]).map((s) => `${name} ${s}`);
    });
    expect(missing).toEqual([]);
  });

  it('types nextCursor as a string or null', () => {
    const schemas = document.components.schemas as Json;
    const cursors = Object.entries(schemas)
      .filter(([, schema]) => (schema as Json).properties?.nextCursor)
      .map(([name, schema]) => [name, (schema as Json).properties.nextCursor]);
    expect(cursors.length).toBeGreaterThan(0);
    for (const [, cursor] of cursors) {
      expect(cursor.anyOf.map((s: Json) => s.type).sort()).toEqual(['null', 'string']);
    }
  });

  it('declares the region 404 of product detail and availability, and how a SKU with / is sent', () => {
    for (const path of ['/v1/products/{productId}', '/v1/products/{productId}/availability']) {
      const notFound = document.paths[path].get.responses['404'];
      expect(notFound.description).toContain('PRODUCT_NOT_SOLD_IN_REGION');
      expect(notFound.content['application/problem+json'].example).toMatchObject({
        status: 404,
        code: 'PRODUCT_NOT_SOLD_IN_REGION',
      });
    }
    for (const path of [
      '/v1/admin/inventory/{sku}/restock',
      '/v1/admin/inventory/{sku}/transfer',
    ]) {
      const sku = document.paths[path].post.parameters.find((p: Json) => p.name === 'sku');
      expect(sku.description ?? sku.schema.description).toContain('%2F');
      expect(exampleOf(sku)).toBe('NOR-000001-1');
    }
  });

  it('names every refusal of the cart and checkout with an example of its code', () => {
    const codes = (path: string, method: string, status: string) => {
      const media =
        document.paths[path][method].responses[status].content['application/problem+json'];
      return media.examples
        ? Object.values(media.examples as Json).map((e) => e.value.code)
        : [media.example?.code];
    };
    expect(codes('/v1/cart', 'get', '404')).toEqual(['CART_NOT_FOUND']);
    expect(codes('/v1/cart/items', 'post', '409')).toEqual(['INSUFFICIENT_STOCK', 'CART_BUSY']);
    expect(codes('/v1/cart/items', 'post', '422')).toEqual([
      'SKU_NOT_SOLD',
      'QUANTITY_LIMIT',
      'CART_FULL',
    ]);
    expect(codes('/v1/cart/coupons', 'post', '422')).toEqual(['COUPON_INVALID']);
    expect(codes('/v1/checkout', 'post', '402')).toEqual(['PAYMENT_DECLINED']);
    expect(codes('/v1/checkout', 'post', '409')).toEqual([
      'OUT_OF_STOCK',
      'IDEMPOTENCY_IN_PROGRESS',
    ]);
    expect(codes('/v1/checkout', 'post', '422')).toEqual([
      'CART_EMPTY',
      'CART_UNAVAILABLE_ITEMS',
      'COUPON_INVALID',
      'FRAUD_REJECTED',
      'IDEMPOTENCY_KEY_REUSED',
    ]);
    const checkout = document.paths['/v1/checkout'].post;
    expect(checkout.responses['201'].headers).toHaveProperty('Location');
    expect(checkout.parameters.find((p: Json) => p.name === 'Idempotency-Key').required).toBe(true);
    expect(document.paths['/v1/cart'].get.responses['200'].headers).toHaveProperty('X-Cart-Id');
  });

  /**
   * Sent in document order, each with the body example(s) as written. What only the running
   * store can know — the tokens it issued, the ids it assigned to what an earlier example
   * created — is taken from the answer that produced it, as a client would.
   */
  it('answers every request example with its documented success status', async () => {
    const admin = await login(store.baseUrl, ADMIN.email, ADMIN.password);
    const assigned: Record<string, string> = {};
    const failures: string[] = [];
    let seller: string | undefined;
    let sent = 0;

    for (const { name, path, method, operation } of operations(document)) {
      if (NOT_RUN_AS_EXAMPLES(path)) continue;
      const success = Object.keys(operation.responses).find((s) => s.startsWith('2'));
      for (const body of bodyExamples(document, operation)) {
        const url = urlFor(path, operation, assigned);
        const headers: Record<string, string> = {};
        if (operation.security?.length) {
          const token = CUSTOMER_ROUTES.test(path)
            ? assigned.accessToken
            : SELLER_ONLY_ROUTES.test(path)
              ? seller
              : admin;
          headers.authorization = `Bearer ${token}`;
        }
        for (const header of (operation.parameters ?? []).filter((p) => p.in === 'header')) {
          if (header.required) headers[header.name] = exampleOf(header);
        }
        const sentBody = withAssigned(body, assigned);
        const response = await call(store.baseUrl, method.toUpperCase(), url, {
          headers,
          ...(sentBody === undefined ? {} : { body: sentBody }),
        });
        sent += 1;
        if (String(response.status) !== success) {
          failures.push(`${name} -> ${response.status} ${JSON.stringify(response.body)}`);
          continue;
        }
        if (method !== 'get' || ISSUES_A_QUERY_ID.test(path)) remember(assigned, response.body);
        // The seller the admin's example created signs in for the seller-only routes.
        if (name === 'POST /v1/admin/sellers') {
          const { email, password } = sentBody as { email: string; password: string };
          seller = await login(store.baseUrl, email, password);
        }
      }
    }
    expect(failures).toEqual([]);
    const documented = operations(document).filter(({ path }) => !NOT_RUN_AS_EXAMPLES(path));
    expect(sent).toBeGreaterThanOrEqual(documented.length);
  }, 60_000);

  describe('errors of the HTTP layer', () => {
    it('answers 405 with Allow for a known path and a method it does not serve', async () => {
      const res = await call(store.baseUrl, 'DELETE', '/v1/categories');
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    });

    it('lists only the literal route in Allow where a parameter route also matches', async () => {
      const res = await call(store.baseUrl, 'GET', '/v1/seller/products/feed');
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    });

    it('answers 405 before reading the body of an unknown method', async () => {
      const res = await call(store.baseUrl, 'QUERY', '/.well-known/jwks.json');
      expect(res.status).toBe(405);
    });

    it('still answers 404 for a path no route serves', async () => {
      const res = await call(store.baseUrl, 'GET', '/v1/nowhere');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    });

    it('answers 414 problem+json for a URI over 8 KiB', async () => {
      const res = await call(store.baseUrl, 'GET', `/v1/products?brand=${'x'.repeat(9000)}`);
      expect(res.status).toBe(414);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 414, code: 'URI_TOO_LONG' });
    });

    it('answers 400, not 414, for a path id over its own limit but under the router’s', async () => {
      const res = await call(store.baseUrl, 'GET', `/v1/products/p-${'1'.repeat(200)}`);
      expect(res.status).toBe(400);
    });

    it('answers 431 problem+json for headers over 16 KiB', async () => {
      const res = await rawGet(store.baseUrl, '/v1/categories', {
        'x-padding': 'y'.repeat(20_000),
      });
      expect(res.status).toBe(431);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
    });

    it('answers an empty X-Region like any other unknown region: 400', async () => {
      for (const path of ['/v1/products/p-000001', '/v1/products?limit=1']) {
        const res = await call(store.baseUrl, 'GET', path, { headers: { 'x-region': '' } });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'UNKNOWN_REGION' });
      }
    });

    it('gives every problem a code', async () => {
      const res = await call(store.baseUrl, 'GET', '/v1/products?limit=1000');
      expect(res.status).toBe(400);
      expect(res.body.code).toEqual(expect.any(String));
    });
  });
});

/** Routes a customer calls (the example customer's token); staff routes get the admin's. */
const CUSTOMER_ROUTES = /^\/v1\/(me|cart|checkout|orders|events)(\/|$)/;

/** Routes only a seller may call (their own orders): the example seller's token. */
const SELLER_ONLY_ROUTES = /^\/v1\/seller\/orders$/;

/** A search answers the queryId its feedback example must send: only a search issues one. */
const ISSUES_A_QUERY_ID = /^\/v1\/search$/;

/**
 * The fraud review answers only for an order on hold, which no example can make (the example
 * checkout passes screening): documented, and tested in the checkout specs instead.
 */
const NEEDS_AN_ORDER_ON_HOLD = /^\/v1\/admin\/orders\/\{orderId\}\/(approve|reject)$/;

/**
 * The lifecycle's routes past cancellation need what one example order cannot be at once: a
 * shipment id only the store assigns, a delivered shipment to return from, a return to
 * receive, a second cancellation of the order the customer's example cancelled. Documented,
 * and walked end to end in the order lifecycle specs (test/support/order-lifecycle.specs.ts).
 */
const NEEDS_A_FULFILLED_ORDER =
  /^\/v1\/(orders\/\{orderId\}\/returns|admin\/orders\/\{orderId\}\/cancel|fulfillment\/)/;

const NOT_RUN_AS_EXAMPLES = (path: string) =>
  NEEDS_AN_ORDER_ON_HOLD.test(path) || NEEDS_A_FULFILLED_ORDER.test(path);

function operations(document: Json) {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      name: `${method.toUpperCase()} ${path}`,
      path,
      method,
      operation: item[method] as Operation,
    })),
  );
}

/** The operation's body examples (each of `examples`, or the one `example`); one undefined without a body. */
function bodyExamples(document: Json, operation: Operation): unknown[] {
  if (!operation.requestBody) return [undefined];
  const media = operation.requestBody.content['application/json'];
  const schema = media.schema?.$ref
    ? document.components.schemas[media.schema.$ref.split('/').pop()]
    : media.schema;
  const examples =
    media.example !== undefined ? [media.example] : (schema?.examples ?? [schema?.example]);
  return examples.filter((example: unknown) => example !== undefined).length
    ? examples
    : [undefined];
}

function exampleOf(parameter: Json): string {
  return String(parameter.example ?? parameter.schema?.example ?? parameter.schema?.examples?.[0]);
}

function urlFor(path: string, operation: Operation, assigned: Record<string, string>): string {
  let url = path;
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in === 'path') {
      const value = assigned[parameter.name] ?? exampleOf(parameter);
      url = url.replace(`{${parameter.name}}`, encodeURIComponent(value));
    }
  }
  const query = (operation.parameters ?? [])
    .filter((p) => p.in === 'query' && (p.example ?? p.schema?.example) !== undefined)
    .map((p) => `${p.name}=${encodeURIComponent(exampleOf(p))}`);
  return query.length ? `${url}?${query.join('&')}` : url;
}

const ASSIGNED_BY_THE_STORE = [
  'orderId',
  'accessToken',
  'refreshToken',
  'sellerId',
  'productId',
  'promotionId',
  'apiKeyId',
  'queryId',
] as const;

/** Run-time values the store issues, by the name a later request uses for them. */
function remember(assigned: Record<string, string>, body: unknown): void {
  if (!body || typeof body !== 'object') return;
  const fields = body as Record<string, unknown>;
  for (const name of ASSIGNED_BY_THE_STORE) {
    // The first one wins: later examples act on what the first example of its kind created.
    if (typeof fields[name] === 'string') assigned[name] ??= fields[name] as string;
  }
}

function withAssigned(body: unknown, assigned: Record<string, string>): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy = { ...(body as Record<string, unknown>) };
  for (const name of ['refreshToken', 'sellerId', 'queryId']) {
    if (name in copy && assigned[name]) copy[name] = assigned[name];
  }
  return copy;
}

async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await call(baseUrl, 'POST', '/v1/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status}`);
  return res.body.accessToken as string;
}

/** fetch refuses oversized headers itself; a plain http request shows what the server answers. */
function rawGet(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { headers, insecureHTTPParser: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type']),
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
