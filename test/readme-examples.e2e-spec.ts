import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedStore, type RunningStore, STORE_CLOSE_MS } from './support/embedded-store';
import { ADMIN_ENV } from './support/test-admin';

/**
 * The README's curl examples are what a newcomer runs first. They are read from README.md
 * itself, run in order with bash against a fresh embedded store, and must each succeed (curl
 * fails on any HTTP error status) and show what the README says they show.
 */
const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const README_ADDRESS = 'localhost:3000';

/** Every ```sh block of the README that talks to the store (the Quick start's npm block does not). */
function curlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((match) => match[1])
    .filter((block) => block.includes(`curl -s`) && block.includes(README_ADDRESS));
}

/** What each block's output must contain, in the order the README shows the blocks. */
const SHOWS: RegExp[][] = [
  [
    /"categoryId"/, // the category tree
    /"price":\{"amount":\d+,"currency":"USD"\}/, // products sorted by price
    /"currency":"EUR"/, // "prices in EUR"
    /"customerId"/, // registered
  ],
  [
    /"sellerId"/, // the seller account
    /"productId":"p-[0-9a-f]+"/, // the seller's product
    /"sku":"NOR-000001-1"/, // the demo SKU's stock afterwards
    /"percentOff":15/, // the promotion changed
    /"status":"ended"/, // and ended
  ],
];

const hasBash = spawnSync('bash', ['-c', 'command -v curl && command -v jq']).status === 0;

describe('the README examples', () => {
  let store: RunningStore;

  beforeAll(async () => {
    if (!hasBash && process.env.CI === 'true') {
      throw new Error('bash, curl and jq are needed to run the README examples');
    }
    store = await startEmbeddedStore(ADMIN_ENV);
  }, 60_000);
  afterAll(() => store?.close(), STORE_CLOSE_MS);

  it('finds the README’s example blocks', () => {
    expect(curlBlocks(README)).toHaveLength(SHOWS.length);
  });

  (hasBash ? it : it.skip)(
    'run in order on a fresh store: every command succeeds and shows what the README says',
    async () => {
      const address = store.baseUrl.replace(/^http:\/\//, '');
      for (const [index, block] of curlBlocks(README).entries()) {
        const script = [
          'set -euo pipefail',
          // --fail-with-body: an HTTP error fails the command (and, with pipefail, its pipeline)
          // and still prints the problem; exit 23 is `| head` closing the pipe early.
          'curl() { local rc=0; command curl --fail-with-body "$@" || rc=$?; [ $rc -eq 23 ] && rc=0; return $rc; }',
          block.replaceAll(README_ADDRESS, address),
        ].join('\n');
        // Asynchronously: the store answers from this very process.
        const run = await bash(script, {
          MERCATO_ADMIN_PASSWORD: ADMIN_ENV.MERCATO_ADMIN_PASSWORD,
        });
        const context = `README block ${index + 1}:\n${run.stdout}\n${run.stderr}`;
        expect({ status: run.status, context }).toEqual({ status: 0, context });
        for (const shown of SHOWS[index]) expect(run.stdout).toMatch(shown);
      }
    },
    60_000,
  );
});

function bash(
  script: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      { env: { ...process.env, ...env }, timeout: 30_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}
