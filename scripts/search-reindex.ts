/**
 * Rebuilds a running store's product search index from its catalog and swaps it in atomically
 * (searches keep answering from the old index until the new one is complete), with a progress bar.
 *
 *   MERCATO_ADMIN_PASSWORD=… npm run search:reindex -- [--url http://127.0.0.1:3000]
 *
 * Works on both run modes: it asks the gateway (admin routes), which asks the search app.
 * MERCATO_ADMIN_EMAIL defaults to the store's default admin; the password is the one the store
 * printed at its first start (or the MERCATO_ADMIN_PASSWORD it was started with).
 */
import { SingleBar, Presets } from 'cli-progress';
import { z } from 'zod';
import { loadConfigOrExit } from '@mercato/config';
import type { SearchReindexStatus } from '@mercato/contracts';

const configSchema = z.object({
  MERCATO_ADMIN_EMAIL: z.email().default('admin@mercato.local'),
  MERCATO_ADMIN_PASSWORD: z.string().min(1, 'is required: the admin password of the store'),
});

const POLL_MS = 250;

function parseUrl(argv: string[]): string {
  let url = 'http://127.0.0.1:3000';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--url' && argv[i + 1]) url = argv[++i];
    else if (argv[i] === '--help' || argv[i] === '-h') {
      process.stdout.write('usage: npm run search:reindex -- [--url http://127.0.0.1:3000]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  return url.replace(/\/+$/, '');
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const detail = typeof body.detail === 'string' ? body.detail : JSON.stringify(body);
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${detail}`);
  }
  return body as T;
}

async function main(): Promise<void> {
  const baseUrl = parseUrl(process.argv.slice(2));
  const config = loadConfigOrExit(configSchema, 'search:reindex');
  const { accessToken } = await call<{ accessToken: string }>(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: config.MERCATO_ADMIN_EMAIL,
      password: config.MERCATO_ADMIN_PASSWORD,
    }),
  });
  const headers = { authorization: `Bearer ${accessToken}` };
  const { started, status } = await call<{ started: boolean; status: SearchReindexStatus }>(
    `${baseUrl}/v1/admin/search/reindex`,
    { method: 'POST', headers },
  );
  process.stdout.write(
    started
      ? `reindex ${status.reindexId} started\n`
      : `a reindex is already running (${status.reindexId}); following it\n`,
  );
  const bar = new SingleBar(
    { format: 'reindex [{bar}] {value}/{total} products | {indexed} indexed | {duration}s' },
    Presets.shades_classic,
  );
  bar.start(Math.max(status.expected, 1), 0, { indexed: 0 });
  let current = status;
  while (current.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    current = await call<SearchReindexStatus>(`${baseUrl}/v1/admin/search/reindex`, { headers });
    // The live index's size is an estimate: a catalog that grew moves the end further.
    bar.setTotal(Math.max(current.expected, current.processed, 1));
    bar.update(current.processed, { indexed: current.indexed });
  }
  bar.stop();
  if (current.state === 'failed') throw new Error(`reindex failed: ${current.error ?? 'unknown'}`);
  process.stdout.write(
    `reindex ${current.reindexId} ${current.state}: ${current.indexed} of ${current.processed} ` +
      `products indexed, live index swapped\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `search:reindex: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
