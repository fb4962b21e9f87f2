import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envPort, REPO_ROOT } from './paths';
import { httpCall, spawnDetached } from './process-utils';
import type { LocalEngine } from './engine';

/** dynalite (the DynamoDB API on LevelDB, from npm) as a server process, in memory. */
const DYNALITE_DIR = join(REPO_ROOT, 'node_modules', 'dynalite');

export function dynaliteEngine(): LocalEngine {
  const port = envPort('DYNAMODB_PORT', 18000);
  return {
    name: 'dynamodb',
    get version() {
      try {
        return `dynalite ${(JSON.parse(readFileSync(join(DYNALITE_DIR, 'package.json'), 'utf8')) as { version: string }).version}`;
      } catch {
        return 'dynalite (not installed: run npm ci)';
      }
    },
    port,
    ports: [port],
    address: `127.0.0.1:${port}`,
    endpoint: { DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` },
    portVariables: ['DYNAMODB_PORT'],
    startTimeoutMs: 15_000,
    provision() {
      try {
        readFileSync(join(DYNALITE_DIR, 'cli.js'));
      } catch {
        throw new Error('node_modules/dynalite is missing: run npm ci');
      }
    },
    start(logFile) {
      return spawnDetached(
        process.execPath,
        [
          '--max-old-space-size=1024',
          join(DYNALITE_DIR, 'cli.js'),
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          // Tables become ACTIVE at once: tests create tables often.
          '--createTableMs',
          '0',
          '--deleteTableMs',
          '0',
          '--updateTableMs',
          '0',
        ],
        logFile,
      );
    },
    async healthy() {
      const { status, body } = await httpCall(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'DynamoDB_20120810.ListTables',
          Authorization:
            'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          'X-Amz-Date': '20200101T000000Z',
        },
        body: '{"Limit":1}',
        // Generous: dynalite answers ListTables slowly once a long-lived server holds many tables.
        timeoutMs: 5_000,
      });
      return status === 200 && body.includes('TableNames');
    },
  };
}
