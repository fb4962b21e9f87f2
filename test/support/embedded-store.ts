import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@mercato/config';
import { MessageBus } from '@mercato/messaging';
import { createService } from '@mercato/runtime';
import { STORE_SPEC, storeConfigSchema } from '@mercato/store';
import { ADMIN_ENV } from './test-admin';

/**
 * How long a spec gives the store to shut down. Idle it takes ~30 ms, but it first lets every
 * app finish what it is handling (the bus's backlog of seeding and indexing events, relays'
 * passes), and with several stores booting side by side in a full run on two cores that has
 * taken more than jest's default 5 s.
 */
export const STORE_CLOSE_MS = 60_000;

export interface RunningStore {
  baseUrl: string;
  dataDir: string;
  app: NestFastifyApplication;
  /** The store's own bus: tests talk to the services as another service would. */
  bus: MessageBus;
  close(): Promise<void>;
}

/**
 * Boots the all-in-one store in this process on a free port, the way `npm start` does, with a
 * small seeded catalog so the suite runs in seconds, and the known admin account of
 * `test-admin.ts`. `env` overrides the embedded defaults.
 */
export async function startEmbeddedStore(env: Record<string, string> = {}): Promise<RunningStore> {
  const dataDir = env.MERCATO_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'mercato-e2e-'));
  const config = loadConfig(storeConfigSchema, {
    MERCATO_STORAGE: 'memory',
    MERCATO_SEED_PRODUCTS: '300',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    BUS_RETRY_BACKOFF_MS: '5',
    ...ADMIN_ENV,
    ...env,
    MERCATO_DATA_DIR: dataDir,
  });
  const app = await createService({ ...config, PORT: 0 }, STORE_SPEC);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    dataDir,
    app,
    bus: app.get(MessageBus),
    async close() {
      await app.close();
      if (!env.MERCATO_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tiny HTTP client for the tests: JSON in, status + headers + parsed body out. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body:
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, headers: response.headers, body };
}
