import { Controller, Get, Logger } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ZodValidationPipe } from 'nestjs-zod';
import { CacheModule } from '@mercato/cache';
import { MessagingModule } from '@mercato/messaging';
import { ConfigModule } from '@mercato/config';
import { PersistenceModule } from '@mercato/persistence';
import { buildOpenApiDocument, ProblemDetailsFilter } from '@mercato/runtime';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { API_DOCS } from '../api-docs';
import { CurrentPartner, PartnerAuthenticated, type PartnerPrincipal } from '../auth';
import { IdentityModule } from './identity.module';
import { TEST_ADMIN_PASSWORD, testConfig } from '../../test/support/identity-test-support';
import { SCRYPT_PARAMS } from './password.hasher';
import { IDENTITY_TABLES } from './identity.tables';

/** A partner route as feature modules write them, to drive the guard over HTTP. */
@Controller('test/partner')
class PartnerProbeController {
  @Get('inventory')
  @PartnerAuthenticated('inventory:feed')
  inventory(@CurrentPartner() partner: PartnerPrincipal): PartnerPrincipal {
    return partner;
  }

  @Get('catalog')
  @PartnerAuthenticated('catalog:feed')
  catalog(@CurrentPartner() partner: PartnerPrincipal): PartnerPrincipal {
    return partner;
  }

  @Get('fulfillment')
  @PartnerAuthenticated('fulfillment', { tokenRoles: ['admin'] })
  fulfillment(@CurrentPartner() partner: PartnerPrincipal): PartnerPrincipal {
    return partner;
  }
}

/** Component test: the identity module on Fastify over a real dynalite, driven over HTTP. */
describe('Admin HTTP API: sellers and partner API keys', () => {
  let dynamo: TestDynamo;
  let app: NestFastifyApplication;
  const config = testConfig({ MERCATO_ADMIN_EMAIL: 'root@example.com' });
  let adminToken: string;
  let customerToken: string;

  type Method = 'GET' | 'POST' | 'DELETE';
  const call = (method: Method, url: string, body?: object, headers: Record<string, string> = {}) =>
    app.inject({ method, url, ...(body ? { payload: body } : {}), headers });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const login = async (email: string, password: string): Promise<string> => {
    const res = await call('POST', '/v1/auth/login', { email, password });
    expect(res.statusCode).toBe(200);
    return res.json().accessToken;
  };

  let n = 0;
  const seller = () => ({
    email: `seller.${++n}@acme.example`,
    password: 'seller-pass-2026',
    name: `Seller ${n}`,
    region: 'eu',
  });
  const createSeller = async (): Promise<{ sellerId: string; token: string }> => {
    const account = seller();
    const res = await call('POST', '/v1/admin/sellers', account, as(adminToken));
    expect(res.statusCode).toBe(201);
    return { sellerId: res.json().sellerId, token: await login(account.email, account.password) };
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dynamo = await startTestDynamo(IDENTITY_TABLES);
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot(dynamo.config),
        CacheModule.forRoot(config),
        MessagingModule.forRoot({ MERCATO_BUS: 'memory', BUS_MAX_ATTEMPTS: 1 }),
        IdentityModule,
      ],
      controllers: [PartnerProbeController],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    })
      .overrideProvider(SCRYPT_PARAMS)
      .useValue({ N: 2 ** 10, r: 8, p: 1 })
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();

    adminToken = await login('root@example.com', TEST_ADMIN_PASSWORD);
    const customer = { ...seller(), email: 'shopper@example.com' };
    expect((await call('POST', '/v1/auth/register', customer)).statusCode).toBe(201);
    customerToken = await login(customer.email, customer.password);
  });
  afterAll(async () => {
    await app?.close();
    await dynamo?.close();
  });

  describe('POST /v1/admin/sellers', () => {
    it('creates a seller who signs in with the seller role', async () => {
      const account = seller();
      const res = await call('POST', '/v1/admin/sellers', account, as(adminToken));
      expect(res.statusCode).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const { sellerId } = res.json();
      expect(typeof sellerId).toBe('string');

      const token = await login(account.email.toUpperCase(), account.password);
      const me = await call('GET', '/v1/me', undefined, as(token));
      expect(me.json()).toMatchObject({ customerId: sellerId, roles: ['seller'] });
    });

    it('answers 409 when the email already has an account, customer or seller', async () => {
      const account = seller();
      await call('POST', '/v1/admin/sellers', account, as(adminToken));
      for (const email of [account.email, 'shopper@example.com']) {
        const res = await call('POST', '/v1/admin/sellers', { ...account, email }, as(adminToken));
        expect(res.statusCode).toBe(409);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    });

    it('answers 400 with field errors for a bad body', async () => {
      const res = await call(
        'POST',
        '/v1/admin/sellers',
        { ...seller(), password: 'short', region: 'mars', roles: ['admin'] },
        as(adminToken),
      );
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const fields = res.json().errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['password', 'region', 'roles']));
    });
  });

  describe('admin routes', () => {
    // Every row has three cells: jest would take a two-argument test for a `done` callback.
    const routes: [Method, string, object | undefined][] = [
      ['POST', '/v1/admin/sellers', seller()],
      ['POST', '/v1/admin/api-keys', { name: 'x', sellerId: 'x', scopes: ['catalog:feed'] }],
      ['GET', '/v1/admin/api-keys', undefined],
      ['DELETE', '/v1/admin/api-keys/ak_00000000000000000000000000', undefined],
    ];

    it.each(routes)('%s %s answers 403 to customers and sellers', async (method, url, body) => {
      const { token: sellerToken } = await createSeller();
      for (const token of [customerToken, sellerToken]) {
        const res = await call(method, url, body, as(token));
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    });

    it.each(routes)('%s %s answers 401 without a token', async (method, url, body) => {
      expect((await call(method, url, body)).statusCode).toBe(401);
    });
  });

  describe('partner API keys', () => {
    it('issues a key shown once, lists it without the secret, and revokes it', async () => {
      const { sellerId } = await createSeller();
      const issued = await call(
        'POST',
        '/v1/admin/api-keys',
        { name: 'Stock sync', sellerId, scopes: ['inventory:feed'] },
        as(adminToken),
      );
      expect(issued.statusCode).toBe(201);
      expect(issued.headers['cache-control']).toBe('no-store'); // the secret is in it
      const key = issued.json();
      expect(key).toEqual({
        apiKeyId: expect.stringMatching(/^ak_/),
        apiKey: expect.stringMatching(/^mk_live_[A-Za-z0-9_-]{43}$/),
        name: 'Stock sync',
        sellerId,
        scopes: ['inventory:feed'],
        createdAt: expect.any(String),
      });

      const listed = await call('GET', '/v1/admin/api-keys?limit=100', undefined, as(adminToken));
      expect(listed.statusCode).toBe(200);
      expect(listed.headers['cache-control']).toBe('no-store');
      const { apiKey: _secret, ...withoutSecret } = key;
      expect(listed.json().items).toContainEqual(withoutSecret);
      expect(listed.body).not.toContain(key.apiKey);

      const withKey = { 'x-api-key': key.apiKey };
      const accepted = await call('GET', '/test/partner/inventory', undefined, withKey);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toEqual({
        sellerId,
        via: 'api-key',
        isAdmin: false,
        apiKeyId: key.apiKeyId,
      });

      const wrongScope = await call('GET', '/test/partner/catalog', undefined, withKey);
      expect(wrongScope.statusCode).toBe(403);
      expect(wrongScope.headers['content-type']).toContain('application/problem+json');

      const revoked = await call(
        'DELETE',
        `/v1/admin/api-keys/${key.apiKeyId}`,
        undefined,
        as(adminToken),
      );
      expect(revoked.statusCode).toBe(204);
      const afterRevoke = await call('GET', '/test/partner/inventory', undefined, withKey);
      expect(afterRevoke.statusCode).toBe(401);
      expect(afterRevoke.headers['content-type']).toContain('application/problem+json');

      const relisted = await call('GET', '/v1/admin/api-keys?limit=100', undefined, as(adminToken));
      const entry = relisted
        .json()
        .items.find((item: { apiKeyId: string }) => item.apiKeyId === key.apiKeyId);
      expect(entry.revokedAt).toEqual(expect.any(String));
    });

    it('answers 404 for a sellerId that is not a seller account', async () => {
      const { customerId } = (await call('GET', '/v1/me', undefined, as(customerToken))).json() as {
        customerId: string;
      };
      for (const sellerId of ['no-such-seller', customerId]) {
        const res = await call(
          'POST',
          '/v1/admin/api-keys',
          { name: 'Feed', sellerId, scopes: ['catalog:feed'] },
          as(adminToken),
        );
        expect(res.statusCode).toBe(404);
      }
    });

    it('issues a fulfillment key bound to one warehouse, and refuses an unknown warehouse', async () => {
      const { sellerId } = await createSeller();
      const body = { name: 'EU dock', sellerId, scopes: ['fulfillment'], warehouseId: 'eu-west' };
      const issued = await call('POST', '/v1/admin/api-keys', body, as(adminToken));
      expect(issued.statusCode).toBe(201);
      expect(issued.json()).toMatchObject({ scopes: ['fulfillment'], warehouseId: 'eu-west' });
      const unknown = await call(
        'POST',
        '/v1/admin/api-keys',
        { ...body, warehouseId: 'mars-1' },
        as(adminToken),
      );
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().errors[0].field).toBe('warehouseId');
    });

    it('issues a warehouse operator’s fulfillment key without a seller', async () => {
      const body = { name: 'EU dock scanners', scopes: ['fulfillment'], warehouseId: 'eu-west' };
      const issued = await call('POST', '/v1/admin/api-keys', body, as(adminToken));
      expect(issued.statusCode).toBe(201);
      const key = issued.json();
      expect(key).toMatchObject(body);
      expect(key).not.toHaveProperty('sellerId');

      const listed = await call('GET', '/v1/admin/api-keys?limit=100', undefined, as(adminToken));
      const { apiKey: _secret, ...withoutSecret } = key;
      expect(listed.json().items).toContainEqual(withoutSecret);

      const withKey = { 'x-api-key': key.apiKey };
      const accepted = await call('GET', '/test/partner/fulfillment', undefined, withKey);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toEqual({
        via: 'api-key',
        isAdmin: false,
        apiKeyId: key.apiKeyId,
        warehouseId: 'eu-west',
      });
      const feed = await call('GET', '/test/partner/inventory', undefined, withKey);
      expect(feed.statusCode).toBe(403);
    });

    it('answers 400 naming sellerId for a feed key without a seller', async () => {
      for (const scopes of [['inventory:feed'], ['catalog:feed', 'fulfillment']]) {
        const res = await call(
          'POST',
          '/v1/admin/api-keys',
          { name: 'Feed', scopes },
          as(adminToken),
        );
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual([
          { field: 'sellerId', message: expect.stringContaining('inventory:feed or catalog:feed') },
        ]);
      }
    });

    it('answers 400 for unknown, repeated or missing scopes', async () => {
      const { sellerId } = await createSeller();
      for (const scopes of [['orders:write'], ['catalog:feed', 'catalog:feed'], []]) {
        const res = await call(
          'POST',
          '/v1/admin/api-keys',
          { name: 'Feed', sellerId, scopes },
          as(adminToken),
        );
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].field).toMatch(/^scopes/);
      }
    });

    it('answers 404 when revoking an unknown key and 400 for a malformed id', async () => {
      const unknown = 'ak_00000000000000000000000000';
      expect(
        (await call('DELETE', `/v1/admin/api-keys/${unknown}`, undefined, as(adminToken)))
          .statusCode,
      ).toBe(404);
      expect(
        (await call('DELETE', '/v1/admin/api-keys/nope', undefined, as(adminToken))).statusCode,
      ).toBe(400);
    });

    it('pages the listing with nextCursor', async () => {
      const { sellerId } = await createSeller();
      for (const name of ['a', 'b', 'c']) {
        await call(
          'POST',
          '/v1/admin/api-keys',
          { name, sellerId, scopes: ['catalog:feed'] },
          as(adminToken),
        );
      }
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${cursor}` : '';
        const res = await call(
          'GET',
          `/v1/admin/api-keys?limit=2${query}`,
          undefined,
          as(adminToken),
        );
        expect(res.statusCode).toBe(200);
        const page = res.json() as { items: { apiKeyId: string }[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        page.items.forEach((item) => seen.add(item.apiKeyId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.size).toBeGreaterThanOrEqual(3);

      const bad = await call('GET', '/v1/admin/api-keys?cursor=garbage', undefined, as(adminToken));
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('partner routes with a bearer token', () => {
    it('accept a seller as themself and an admin flagged as admin', async () => {
      const { sellerId, token } = await createSeller();
      const bySeller = await call('GET', '/test/partner/catalog', undefined, as(token));
      expect(bySeller.statusCode).toBe(200);
      expect(bySeller.json()).toEqual({ sellerId, via: 'token', isAdmin: false });

      const byAdmin = await call('GET', '/test/partner/inventory', undefined, as(adminToken));
      expect(byAdmin.statusCode).toBe(200);
      expect(byAdmin.json()).toMatchObject({ via: 'token', isAdmin: true });
    });

    it('answer 403 to a customer and 401 without or with bad credentials', async () => {
      expect(
        (await call('GET', '/test/partner/inventory', undefined, as(customerToken))).statusCode,
      ).toBe(403);
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer not.a.jwt' },
        { 'x-api-key': 'mk_live_nope' },
        { 'x-api-key': '' },
      ];
      for (const headers of attempts) {
        const res = await call('GET', '/test/partner/inventory', undefined, headers);
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ status: 401, instance: '/test/partner/inventory' });
      }
    });
  });

  it('documents the admin routes and both partner credentials in OpenAPI', () => {
    const doc = buildOpenApiDocument(app, API_DOCS);
    expect(doc.components?.securitySchemes?.apiKey).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'X-Api-Key',
    });

    const issue = doc.paths['/v1/admin/api-keys'].post;
    expect(issue?.tags).toEqual(['Admin']);
    // The HTTP layer's own errors (413, 414, 415, 431) are declared on every route besides these.
    expect(Object.keys(issue?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404']),
    );
    expect(Object.keys(doc.paths['/v1/admin/sellers'].post?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409']),
    );
    // sellerId is required only with a feed scope (a refinement): one example of each kind.
    expect(doc.components?.schemas?.CreateApiKeyDto).toMatchObject({
      required: ['name', 'scopes'],
      examples: [{ sellerId: expect.any(String) }, { scopes: ['fulfillment'] }],
    });
    expect(doc.paths['/v1/admin/api-keys'].get?.responses).toHaveProperty('200');
    expect(doc.paths['/v1/admin/api-keys/{apiKeyId}'].delete?.responses).toHaveProperty('404');

    const partner = doc.paths['/test/partner/inventory'].get;
    expect(partner?.security).toEqual(expect.arrayContaining([{ apiKey: [] }, { bearer: [] }]));
    expect(partner?.responses).toHaveProperty('401');
    expect(partner?.responses).toHaveProperty('403');
  });
});
