import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithEngines } from '@mercato/testing';
import { startStack } from '../scripts/stack/stack';
import { storeApiSuite } from './support/store-api.suite';

/**
 * The same API specification as the embedded store, on seven processes that talk only over a
 * real Kafka broker and share a real DynamoDB API server (dynalite).
 */
describeWithEngines('Seven-process stack', ['KAFKA_BROKERS', 'DYNAMODB_ENDPOINT'], (endpoints) => {
  storeApiSuite('seven-process stack (Kafka, dynalite)', async () => {
    const run = randomBytes(3).toString('hex');
    const dataDir = mkdtempSync(join(tmpdir(), 'mercato-stack-'));
    const stack = await startStack({
      endpoints,
      portOffset: 1000,
      logDir: join(dataDir, 'logs'),
      env: {
        TABLE_PREFIX: `stack${run}-`,
        MERCATO_SEED_PRODUCTS: '300',
        MERCATO_DATA_DIR: dataDir,
        MERCATO_STORAGE: 'memory',
        BUS_RETRY_BACKOFF_MS: '20',
      },
    });
    // Consumers join their groups after the apps report ready; wait until a request goes round.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const response = await fetch(`${stack.gatewayUrl}/v1/categories`).catch(() => undefined);
      if (response?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return {
      baseUrl: stack.gatewayUrl,
      async close() {
        await stack.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  });
});
