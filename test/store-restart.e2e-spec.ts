import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, startEmbeddedStore } from './support/embedded-store';

/** `npm start` keeps its data under .data/: a restart finds the customers and the catalog. */
describe('Embedded store on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mercato-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps accounts, signing keys and the seeded catalog across a restart', async () => {
    const env = {
      MERCATO_STORAGE: 'disk',
      MERCATO_DATA_DIR: dataDir,
      MERCATO_SEED_PRODUCTS: '120',
    };
    const first = await startEmbeddedStore(env);
    let productsBefore: unknown;
    let jwksBefore: unknown;
    try {
      const registered = await call(first.baseUrl, 'POST', '/v1/auth/register', {
        body: {
          email: 'grace@example.com',
          password: 'compilers are fun',
          name: 'Grace',
          region: 'us',
        },
      });
      expect(registered.status).toBe(201);
      productsBefore = (await call(first.baseUrl, 'GET', '/v1/products?limit=50')).body;
      jwksBefore = (await call(first.baseUrl, 'GET', '/.well-known/jwks.json')).body;
    } finally {
      await first.close();
    }

    const second = await startEmbeddedStore(env);
    try {
      const login = await call(second.baseUrl, 'POST', '/v1/auth/login', {
        body: { email: 'grace@example.com', password: 'compilers are fun' },
      });
      expect(login.status).toBe(200);
      expect((await call(second.baseUrl, 'GET', '/v1/products?limit=50')).body).toEqual(
        productsBefore,
      );
      expect((await call(second.baseUrl, 'GET', '/.well-known/jwks.json')).body).toEqual(
        jwksBefore,
      );
    } finally {
      await second.close();
    }
  }, 120_000);
});
