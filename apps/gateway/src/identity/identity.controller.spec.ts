import { Logger } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc, ZodValidationPipe } from 'nestjs-zod';
import { CacheModule } from '@mercato/cache';
import { ShopperIdentified } from '@mercato/contracts';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { ConfigModule } from '@mercato/config';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { IdentityModule } from './identity.module';
import { TEST_ADMIN_PASSWORD, testConfig } from '../../test/support/identity-test-support';
import { FakeCartService } from '../../test/support/fake-shop-services';
import { SCRYPT_PARAMS } from './password.hasher';
import { IDENTITY_TABLES } from './identity.tables';

/** Component test: the module booted on Fastify over a real dynalite, driven over HTTP. */
describe('Identity HTTP API', () => {
  let dynamo: TestDynamo;
  let app: NestFastifyApplication;
  const config = testConfig({ MERCATO_ADMIN_EMAIL: 'root@example.com' });

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
      providers: [{ provide: APP_PIPE, useClass: ZodValidationPipe }, FakeCartService],
    })
      .overrideProvider(SCRYPT_PARAMS)
      .useValue({ N: 2 ** 10, r: 8, p: 1 })
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    await dynamo?.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: object, token?: string) =>
    app.inject({
      method,
      url,
      ...(body ? { payload: body } : {}),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  const account = {
    email: 'Bea@Example.com',
    password: 'correct-horse-battery',
    name: 'Bea',
    region: 'us',
  };

  it('registers, signs in, reads and updates the profile', async () => {
    const registered = await call('POST', '/v1/auth/register', account);
    expect(registered.statusCode).toBe(201);
    const { customerId } = registered.json();

    expect(
      (await call('POST', '/v1/auth/register', { ...account, email: 'bea@example.com' }))
        .statusCode,
    ).toBe(409);

    const login = await call('POST', '/v1/auth/login', {
      email: 'bea@example.com',
      password: account.password,
    });
    expect(login.statusCode).toBe(200);
    const { accessToken, refreshToken } = login.json();

    const me = await call('GET', '/v1/me', undefined, accessToken);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ customerId, email: 'bea@example.com', roles: ['customer'] });

    const patched = await call(
      'PATCH',
      '/v1/me',
      { preferences: { currency: 'USD' } },
      accessToken,
    );
    expect(patched.statusCode).toBe(200);
    expect(patched.json().preferences).toEqual({ currency: 'USD' });

    const refreshed = await call('POST', '/v1/auth/refresh', { refreshToken });
    expect(refreshed.statusCode).toBe(200);
    expect((await call('POST', '/v1/auth/refresh', { refreshToken })).statusCode).toBe(401);
  });

  it('rejects unknown fields, short passwords and unknown regions', async () => {
    const bad = [
      { ...account, email: 'x1@example.com', isAdmin: true },
      { ...account, email: 'x2@example.com', password: 'short' },
      { ...account, email: 'x3@example.com', region: 'mars' },
    ];
    for (const body of bad) {
      expect((await call('POST', '/v1/auth/register', body)).statusCode).toBe(400);
    }
  });

  it('answers 401 on /v1/me without a valid bearer token', async () => {
    expect((await call('GET', '/v1/me')).statusCode).toBe(401);
    expect((await call('GET', '/v1/me', undefined, 'not.a.jwt')).statusCode).toBe(401);
    expect((await call('PATCH', '/v1/me', { name: 'X' })).statusCode).toBe(401);
  });

  it('rejects a PATCH with fields that cannot be changed there', async () => {
    await call('POST', '/v1/auth/register', { ...account, email: 'cy@example.com' });
    const { accessToken } = (
      await call('POST', '/v1/auth/login', { email: 'cy@example.com', password: account.password })
    ).json();
    for (const body of [{ email: 'new@example.com' }, { roles: ['admin'] }, {}]) {
      expect((await call('PATCH', '/v1/me', body, accessToken)).statusCode).toBe(400);
    }
  });

  it('created the admin account at start-up', async () => {
    const login = await call('POST', '/v1/auth/login', {
      email: 'root@example.com',
      password: TEST_ADMIN_PASSWORD,
    });
    expect(login.statusCode).toBe(200);
    const me = await call('GET', '/v1/me', undefined, login.json().accessToken);
    expect(me.json().roles).toEqual(['admin']);
  });

  describe('login with a guest cart (X-Cart-Id)', () => {
    const shopper = { ...account, email: 'gus@example.com', region: 'ap' };
    const loginWithCart = (cartId: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: shopper.email, password: shopper.password },
        headers: { 'x-cart-id': cartId },
      });
    let cart: FakeCartService;
    let customerId: string;

    beforeAll(async () => {
      cart = app.get(FakeCartService);
      customerId = (await call('POST', '/v1/auth/register', shopper)).json().customerId;
    });

    it('merges the guest cart into the customer’s, in the customer’s region', async () => {
      expect((await loginWithCart('c_guestCart1234')).statusCode).toBe(200);
      expect(cart.last()).toMatchObject({
        type: 'cart.cart.merge',
        payload: { customerId, cartId: 'c_guestCart1234', region: 'ap' },
        key: customerId,
      });
    });

    it('signs in even when the merge is refused', async () => {
      cart.refuseNext({ status: 409, code: 'CART_BUSY', message: 'busy' });
      const res = await loginWithCart('c_guestCart5678');
      expect(res.statusCode).toBe(200);
      expect(res.json().accessToken).toEqual(expect.any(String));
      expect(cart.last().payload).toMatchObject({ cartId: 'c_guestCart5678' });
    });

    it('merges nothing for a malformed header, a wrong password or a staff account', async () => {
      const before = cart.received.length;
      expect((await loginWithCart('not a cart id')).statusCode).toBe(200);
      const wrong = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: shopper.email, password: 'not it at all' },
        headers: { 'x-cart-id': 'c_guestCart1234' },
      });
      expect(wrong.statusCode).toBe(401);
      const admin = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'root@example.com', password: TEST_ADMIN_PASSWORD },
        headers: { 'x-cart-id': 'c_guestCart1234' },
      });
      expect(admin.statusCode).toBe(200);
      expect(cart.received).toHaveLength(before);
    });
  });

  describe('login on a device (X-Device-Id)', () => {
    const shopper = { ...account, email: 'dev@example.com', region: 'eu' };
    const login = (headers: Record<string, string>, password = shopper.password) =>
      app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: shopper.email, password },
        headers,
      });
    let publish: jest.SpyInstance;
    let customerId: string;
    const identified = () =>
      publish.mock.calls
        .filter(([contract]) => contract === ShopperIdentified)
        .map(([, data, options]) => ({ data, key: options.key }));

    beforeAll(async () => {
      publish = jest.spyOn(app.get(MessageBus), 'publish');
      customerId = (await call('POST', '/v1/auth/register', shopper)).json().customerId;
    });
    beforeEach(() => publish.mockClear());
    afterAll(() => publish.mockRestore());

    it('links the device to the customer, keyed by the device', async () => {
      expect((await login({ 'x-device-id': 'dev-42' })).statusCode).toBe(200);
      expect(identified()).toEqual([
        {
          data: { deviceId: 'dev-42', customerId, occurredAt: expect.any(String) },
          key: 'device:dev-42',
        },
      ]);
    });

    it('links nothing without the header, with a malformed one or a wrong password', async () => {
      expect((await login({})).statusCode).toBe(200);
      expect((await login({ 'x-device-id': 'not a device' })).statusCode).toBe(200);
      expect((await login({ 'x-device-id': 'dev-42' }, 'not it at all')).statusCode).toBe(401);
      expect(identified()).toEqual([]);
    });

    it('signs in even when the link cannot be handed on', async () => {
      publish.mockRejectedValueOnce(new Error('broker away'));
      const res = await login({ 'x-device-id': 'dev-43' });
      expect(res.statusCode).toBe(200);
      expect(res.json().accessToken).toEqual(expect.any(String));
      expect(identified()).toHaveLength(1);
    });
  });

  it('answers Cache-Control: no-store wherever tokens or personal data are in the answer', async () => {
    const body = { ...account, email: 'dee@example.com' };
    const registered = await call('POST', '/v1/auth/register', body);
    const login = await call('POST', '/v1/auth/login', {
      email: body.email,
      password: body.password,
    });
    const wrong = await call('POST', '/v1/auth/login', {
      email: body.email,
      password: 'not it at all',
    });
    const { accessToken, refreshToken } = login.json();
    const refreshed = await call('POST', '/v1/auth/refresh', { refreshToken });
    const me = await call('GET', '/v1/me', undefined, accessToken);
    const patched = await call('PATCH', '/v1/me', { name: 'Dee' }, accessToken);
    for (const [res, status] of [
      [registered, 201],
      [login, 200],
      [wrong, 401],
      [refreshed, 200],
      [me, 200],
      [patched, 200],
    ] as const) {
      expect(res.statusCode).toBe(status);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect((await call('GET', '/.well-known/jwks.json')).headers['cache-control']).not.toContain(
      'no-store',
    );
  });

  it('serves the public JWKS', async () => {
    const res = await call('GET', '/.well-known/jwks.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('max-age');
    expect(res.json().keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
  });

  it('documents every route in the OpenAPI document', () => {
    const doc = cleanupOpenApiDoc(
      SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build()),
    );
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/.well-known/jwks.json',
      '/v1/admin/api-keys',
      '/v1/admin/api-keys/{apiKeyId}',
      '/v1/admin/sellers',
      '/v1/auth/login',
      '/v1/auth/refresh',
      '/v1/auth/register',
      '/v1/me',
    ]);
    expect(doc.paths['/v1/me'].get?.responses).toHaveProperty('401');
    expect(doc.components?.schemas).toHaveProperty('RegisterDto');
  });
});
