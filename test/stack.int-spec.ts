import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithEngines } from '@mercato/testing';
import { ListCategories } from '@mercato/contracts';
import { startStack } from '../scripts/stack/stack';
import { connectStackBus } from '../scripts/stack/stack-bus';
import { isolatedStackEnv, removeStackData } from '../scripts/stack/stack-data';
import { CHECKOUT_TEST_ENV } from './support/checkout.specs';
import { storeApiSuite } from './support/store-api.suite';
import { ADMIN_ENV } from './support/test-admin';

/**
 * The same API specification as the embedded store, on seven processes that talk only over a
 * real Kafka broker and share a real DynamoDB API server (dynalite).
 */
describeWithEngines(
  'Seven-process stack',
  ['KAFKA_BROKERS', 'DYNAMODB_ENDPOINT', 'REDIS_URL'],
  (endpoints) => {
    storeApiSuite(
      'seven-process stack (Kafka, dynalite, Redis)',
      async () => {
        const prefix = `stack${randomBytes(3).toString('hex')}-`;
        const dataDir = mkdtempSync(join(tmpdir(), 'mercato-stack-'));
        const logDir = join(dataDir, 'logs');
        const stack = await startStack({
          endpoints,
          portOffset: 1000,
          logDir,
          env: {
            ...isolatedStackEnv(prefix),
            ...ADMIN_ENV,
            ...CHECKOUT_TEST_ENV,
            MERCATO_SEED_PRODUCTS: '300',
            MERCATO_DATA_DIR: dataDir,
            MERCATO_STORAGE: 'memory',
            BUS_RETRY_BACKOFF_MS: '20',
          },
        });
        const bus = await connectStackBus({
          brokers: endpoints.KAFKA_BROKERS,
          namespace: prefix,
          probe: { contract: ListCategories, request: () => ({}) },
        });
        return {
          baseUrl: stack.gatewayUrl,
          bus,
          async processWarnings() {
            return readdirSync(logDir).flatMap((file) =>
              readFileSync(join(logDir, file), 'utf8')
                .split('\n')
                .filter((line) => line.includes('Warning'))
                .map((line) => `${file}: ${line}`),
            );
          },
          async close() {
            await bus.close();
            await stack.stop();
            await removeStackData(endpoints, prefix);
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
      { checksProcessWarnings: true },
    );
  },
);
