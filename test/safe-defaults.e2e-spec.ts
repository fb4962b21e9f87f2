import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@mercato/config';
import { startService } from '@mercato/runtime';
import { STORE_SPEC, storeConfigSchema } from '@mercato/store';
import {
  call,
  startEmbeddedStore,
  type RunningStore,
  STORE_CLOSE_MS,
} from './support/embedded-store';
import { ADMIN } from './support/test-admin';

/**
 * Safe defaults of a plain `npm start` (issue 16): loopback only, no public admin password,
 * throttled sign-in and registration, no-store on personal answers, readiness without
 * addresses.
 */
jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** This machine's non-loopback IPv4 addresses (empty on a machine with none). */
const externalAddresses = (): string[] =>
  Object.values(networkInterfaces())
    .flat()
    .filter((nic) => nic && nic.family === 'IPv4' && !nic.internal)
    .map((nic) => nic!.address);

describe('the store started as `npm start` starts it (runService), with the default HOST', () => {
  let app: NestFastifyApplication | undefined;
  let dataDir: string;
  let logged: string[];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mercato-host-'));
    logged = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await app?.close();
    app = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string> = {}) => {
    const config = loadConfig(storeConfigSchema, {
      MERCATO_STORAGE: 'memory',
      MERCATO_DATA_DIR: dataDir,
      MERCATO_SEED: 'false',
      MERCATO_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'silent',
      PORT: '0',
      ...env,
    });
    app = await startService(config, STORE_SPEC);
    return app.getHttpServer().address() as { address: string; port: number };
  };

  it('listens on 127.0.0.1 only, and logs that address', async () => {
    const address = await start();
    expect(address.address).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', address.port)).toBe(true);
    for (const external of externalAddresses()) {
      expect(await accepts(external, address.port)).toBe(false);
    }
    expect(logged).toContainEqual(
      expect.stringMatching(
        new RegExp(`^store listening on http://127\\.0\\.0\\.1:${address.port} — API docs at`),
      ),
    );
  });

  it('listens on every interface with HOST=0.0.0.0 (containers), and says so', async () => {
    const address = await start({ HOST: '0.0.0.0' });
    expect(address.address).toBe('0.0.0.0');
    for (const external of externalAddresses()) {
      expect(await accepts(external, address.port)).toBe(true);
    }
    expect(logged).toContainEqual(
      expect.stringContaining(`listening on http://0.0.0.0:${address.port} (every interface)`),
    );
  });
});

describe('sign-in throttling per account (short delays and lock for the test)', () => {
  let store: RunningStore;
  const DELAY_SECONDS = 2;
  const LOCK_SECONDS = 5;
  beforeAll(async () => {
    store = await startEmbeddedStore({
      MERCATO_SEED: 'false',
      AUTH_LOGIN_DELAY_AFTER_FAILURES: '3',
      AUTH_LOGIN_DELAY_SECONDS: String(DELAY_SECONDS),
      AUTH_LOGIN_LOCK_AFTER_FAILURES: '5',
      AUTH_LOGIN_LOCK_SECONDS: String(LOCK_SECONDS),
      AUTH_LOGIN_IP_LIMIT: '1000',
    });
  }, 120_000);
  afterAll(() => store?.close(), STORE_CLOSE_MS);

  let n = 0;
  const newAccount = async () => {
    const account = {
      email: `guess.${++n}@example.com`,
      password: 'the right password',
      name: 'Target',
      region: 'us',
    };
    expect((await call(store.baseUrl, 'POST', '/v1/auth/register', { body: account })).status).toBe(
      201,
    );
    return account;
  };
  const login = (email: string, password: string) =>
    call(store.baseUrl, 'POST', '/v1/auth/login', { body: { email, password } });
  const retryAfter = (response: { headers: Headers }) =>
    Number(response.headers.get('retry-after'));

  it('throttles 30 wrong passwords for one account, then lets the right one in once the wait passes', async () => {
    const { email, password } = await newAccount();
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await login(email, `wrong password ${i}`));
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual(Array(27).fill(429));
    for (const throttled of answers.slice(3)) {
      expect(throttled.headers.get('content-type')).toContain('application/problem+json');
      expect(throttled.headers.get('cache-control')).toBe('no-store');
      expect(throttled.body).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
      expect(throttled.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(retryAfter(throttled)).toBeGreaterThanOrEqual(1);
      expect(retryAfter(throttled)).toBeLessThanOrEqual(DELAY_SECONDS);
    }

    const tooSoon = await login(email, password);
    expect(tooSoon.status).toBe(429); // the right password waits too: guessing gains nothing
    await sleep(retryAfter(tooSoon) * 1000 + 50);
    const allowed = await login(email, password);
    expect(allowed.status).toBe(200);
    expect(allowed.body.accessToken).toEqual(expect.any(String));
    // The success forgot the failures: the next wrong password is a plain 401 again.
    expect((await login(email, 'wrong again')).status).toBe(401);
  });

  it('makes each further wait longer, then locks the account, and opens it when the lock passes', async () => {
    const { email, password } = await newAccount();
    const waits: number[] = [];
    while (waits.length < 3) {
      const answer = await login(email, 'a wrong password');
      if (answer.status === 429) {
        waits.push(retryAfter(answer));
        await sleep(retryAfter(answer) * 1000 + 50);
      } else {
        expect(answer.status).toBe(401);
      }
    }
    // After the 3rd failure 2 s, after the 4th twice that, from the 5th the lock.
    expect(waits).toEqual([DELAY_SECONDS, 2 * DELAY_SECONDS, LOCK_SECONDS]);
    const afterLock = await login(email, 'a wrong password');
    expect(afterLock.status).toBe(401); // the lock has passed: the 6th failure locks again
    const relocked = await login(email, password);
    expect(relocked.status).toBe(429);
    expect(retryAfter(relocked)).toBe(LOCK_SECONDS);
    await sleep(LOCK_SECONDS * 1000 + 50);
    expect((await login(email, password)).status).toBe(200);
  });
});

describe('throttling per client address', () => {
  let store: RunningStore;
  beforeAll(async () => {
    store = await startEmbeddedStore({
      MERCATO_SEED: 'false',
      AUTH_LOGIN_IP_LIMIT: '10',
      AUTH_LOGIN_IP_WINDOW_SECONDS: '600',
      AUTH_REGISTER_IP_LIMIT: '3',
      AUTH_REGISTER_IP_WINDOW_SECONDS: '600',
    });
  }, 120_000);
  afterAll(() => store?.close(), STORE_CLOSE_MS);

  it('throttles 30 sign-ins from one address over 30 accounts, whatever X-Forwarded-For says', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 30; i++) {
      last = await call(store.baseUrl, 'POST', '/v1/auth/login', {
        body: { email: `victim.${i}@example.com`, password: 'password123456' },
        // A client cannot pose as many: TRUST_PROXY is off, the header is not believed.
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(20).fill(429));
    expect(last!.body).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
    const wait = Number(last!.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(600);
    // The admin, right password and all, is refused from this address for the window too.
    expect((await call(store.baseUrl, 'POST', '/v1/auth/login', { body: ADMIN })).status).toBe(429);
  });

  it('throttles registrations from one address', async () => {
    const register = (i: number) =>
      call(store.baseUrl, 'POST', '/v1/auth/register', {
        body: {
          email: `new.${i}@example.com`,
          password: 'password123456',
          name: 'N',
          region: 'us',
        },
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await register(i)).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });
});

describe('answers with tokens or personal data, and readiness', () => {
  let store: RunningStore;
  beforeAll(async () => {
    store = await startEmbeddedStore({ MERCATO_SEED: 'false' });
  }, 120_000);
  afterAll(() => store?.close(), STORE_CLOSE_MS);

  it('carry Cache-Control: no-store: login, refresh, /v1/me, admin sellers and API keys', async () => {
    const login = await call(store.baseUrl, 'POST', '/v1/auth/login', { body: ADMIN });
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${login.body.accessToken}` };
    const refresh = await call(store.baseUrl, 'POST', '/v1/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    const me = await call(store.baseUrl, 'GET', '/v1/me', { headers: auth });
    const seller = await call(store.baseUrl, 'POST', '/v1/admin/sellers', {
      headers: auth,
      body: {
        email: 'shop@example.com',
        password: 'seller password 1',
        name: 'Shop',
        region: 'us',
      },
    });
    const key = await call(store.baseUrl, 'POST', '/v1/admin/api-keys', {
      headers: auth,
      body: { name: 'feed', sellerId: seller.body.sellerId, scopes: ['inventory:feed'] },
    });
    const keys = await call(store.baseUrl, 'GET', '/v1/admin/api-keys', { headers: auth });
    for (const [answer, status] of [
      [login, 200],
      [refresh, 200],
      [me, 200],
      [seller, 201],
      [key, 201],
      [keys, 200],
    ] as const) {
      expect(answer.status).toBe(status);
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    // Public catalog answers stay cacheable.
    const categories = await call(store.baseUrl, 'GET', '/v1/categories');
    expect(categories.headers.get('cache-control') ?? '').not.toContain('no-store');
  });

  it('/health/ready names each dependency without any address', async () => {
    const ready = await call(store.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.details).sort()).toEqual(['cache', 'dynamodb', 'messaging']);
    const text = JSON.stringify(ready.body);
    // The embedded dynalite listens on a loopback port; its URL stays out of the answer.
    expect(text).not.toMatch(/:\/\/|127\.0\.0\.1|localhost|:\d{2,5}\b/);
    expect(ready.body.details.dynamodb.detail).toMatch(/^DynamoDB: table \S+ ACTIVE$/);
  });
});
