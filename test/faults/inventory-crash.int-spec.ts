import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithEngines } from '@mercato/testing';
import { startStack, type RunningStack } from '../../scripts/stack/stack';
import { isolatedStackEnv, removeStackData } from '../../scripts/stack/stack-data';
import { eventually, firstLeaf, productBody } from '../support/commerce.specs';
import { newSeller, signInAdmin } from '../support/shop-accounts';
import { call } from '../support/embedded-store';
import { ADMIN_ENV } from '../support/test-admin';

/**
 * The inventory process is killed (SIGKILL) while sellers create products, and started again.
 * Inventory learns of new SKUs only from `catalog.product.changed` events, consumed in its
 * group: after the restart it resumes from the group's committed offsets. So:
 * - no event is lost: every product created before, during and after the outage ends up with a
 *   stock item for each SKU (availability lists them);
 * - none is applied twice: events handled before the kill but not yet committed are delivered
 *   again, and the idempotent consumer (a conditional put) leaves the stock items as they were
 *   — a restock made before the kill is still there.
 */
const BEFORE = 8;
const DURING = 24;
const PER_SECOND = 6;

describeWithEngines(
  'Fault: the inventory process is killed while products are created',
  ['KAFKA_BROKERS', 'DYNAMODB_ENDPOINT', 'REDIS_URL'],
  (endpoints) => {
    jest.setTimeout(300_000);
    const prefix = `invfault${randomBytes(3).toString('hex')}-`;
    const dataDir = mkdtempSync(join(tmpdir(), 'mercato-invfault-'));
    let stack: RunningStack;
    const api = (method: string, path: string, body?: unknown, token?: string) =>
      call(stack.gatewayUrl, method, path, {
        body,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });

    beforeAll(async () => {
      stack = await startStack({
        endpoints,
        portOffset: 2_500,
        logDir: join(dataDir, 'logs'),
        env: {
          ...isolatedStackEnv(prefix),
          ...ADMIN_ENV,
          MERCATO_SEED_PRODUCTS: '20',
          MERCATO_DATA_DIR: dataDir,
          MERCATO_STORAGE: 'memory',
          BUS_RETRY_BACKOFF_MS: '20',
        },
      });
    });

    afterAll(async () => {
      await stack?.stop();
      await removeStackData(endpoints, prefix);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('loses no product event and applies none twice across the crash', async () => {
      const adminToken = await signInAdmin(stack.gatewayUrl);
      const sellerToken = await newSeller(stack.gatewayUrl, adminToken, 'Crash Test Goods');
      const category = firstLeaf((await api('GET', '/v1/categories')).body.items);
      const run = randomBytes(2).toString('hex').toUpperCase();
      const created: { productId: string; skus: string[] }[] = [];
      const create = async (n: number) => {
        const skus = [`CR-${run}-${n}-A`, `CR-${run}-${n}-B`];
        const response = await api(
          'POST',
          '/v1/seller/products',
          productBody(category, skus, `Crash product ${n}`),
          sellerToken,
        );
        expect(response.status).toBe(201);
        created.push({ productId: response.body.productId, skus });
      };

      // Before the crash: products whose first SKU inventory has seen and stocked with one unit.
      for (let n = 0; n < BEFORE; n++) {
        await create(n);
        const sku = created[n].skus[0];
        await eventually(
          async () => {
            const restock = await api(
              'POST',
              `/v1/admin/inventory/${sku}/restock`,
              { warehouseId: 'us-east', quantity: 1 },
              adminToken,
            );
            return restock.status === 200 ? true : undefined;
          },
          20_000,
          `the stock item of ${sku}`,
        );
      }

      // During: products keep coming while inventory is killed and restarted.
      const creating = (async () => {
        for (let n = BEFORE; n < BEFORE + DURING; n++) {
          await create(n);
          await new Promise((resolve) => setTimeout(resolve, 1_000 / PER_SECOND));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const inventory = stack.apps.find((a) => a.name === 'inventory')!;
      inventory.process.kill('SIGKILL');
      await new Promise((resolve) => inventory.process.once('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const restartedAt = Date.now();
      await stack.restart('inventory');
      await creating;

      // Every SKU of every product gets its stock item: no event lost.
      const { ms } = await eventually(
        async () => {
          for (const { productId, skus } of created) {
            const stock = await api('GET', `/v1/products/${productId}/availability`);
            if (stock.status !== 200 || stock.body.variants.length !== skus.length)
              return undefined;
          }
          return true;
        },
        60_000,
        'stock items for every SKU',
      );
      // Before the crash, stocked once: still exactly that (no re-creation reset it).
      for (const { productId, skus } of created.slice(0, BEFORE)) {
        const { body } = await api('GET', `/v1/products/${productId}/availability`);
        const bySku = new Map(
          body.variants.map((v: { sku: string; available: number }) => [v.sku, v.available]),
        );
        expect([bySku.get(skus[0]), bySku.get(skus[1])]).toEqual([1, 0]);
      }
      process.stderr.write(
        `[inventory-crash] ${created.length} products (${BEFORE} before the kill); every SKU ` +
          `had its stock item ${Date.now() - restartedAt} ms after the restart (polled ${ms} ms)\n`,
      );
    });
  },
);
