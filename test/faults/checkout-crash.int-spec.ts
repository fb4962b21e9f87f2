import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderChanged } from '@mercato/contracts';
import { KafkaMessageBus, silentBusLogger } from '@mercato/messaging';
import { describeWithEngines } from '@mercato/testing';
import { startStack, type RunningStack } from '../../scripts/stack/stack';
import { isolatedStackEnv, removeStackData } from '../../scripts/stack/stack-data';
import { CHECKOUT_TEST_ENV } from '../support/checkout.specs';
import { eventually, firstLeaf, productBody } from '../support/commerce.specs';
import { newSeller, signInAdmin } from '../support/shop-accounts';
import { call } from '../support/embedded-store';
import { ADMIN_ENV } from '../support/test-admin';

/**
 * The order process is killed (SIGKILL) several times, at random moments, while shoppers check
 * out, and started again each time. A shopper whose request dies retries with the same
 * Idempotency-Key, as a careful client does. After the recovery window every checkout is
 * either confirmed (one authorisation, its reservation committed, its cart cleared) or failed
 * (nothing held, any authorisation voided); the stock adds up; and the order topic carried
 * every stored event of every order (none lost; repeats collapse by order id and version).
 */
const SHOPPERS = 36;
/** A confirmed order moves on to `fulfilling` as soon as its shipments are assigned. */
const PLACED = ['confirmed', 'fulfilling'];
const STOCK = 30;
const KILLS = 3;
/** The checkout lease and recovery interval of the order app in this test (defaults: 30 s, 5 s). */
const LEASE_MS = 8_000;
const RECOVERY_INTERVAL_MS = 1_000;

const US_ADDRESS = {
  name: 'Ada Lovelace',
  line1: '1 Main St',
  city: 'Springfield',
  postalCode: '62701',
  country: 'US',
};

describeWithEngines(
  'Fault: the order process is killed while shoppers check out',
  ['KAFKA_BROKERS', 'DYNAMODB_ENDPOINT', 'REDIS_URL'],
  (endpoints) => {
    jest.setTimeout(480_000);
    const prefix = `ordfault${randomBytes(3).toString('hex')}-`;
    const dataDir = mkdtempSync(join(tmpdir(), 'mercato-ordfault-'));
    let stack: RunningStack;
    let consumer: KafkaMessageBus;
    /** `orderId#version` of every order event the topic delivered. */
    const seen = new Set<string>();
    let deliveries = 0;
    const api = (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => call(stack.gatewayUrl, method, path, { body, headers });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    beforeAll(async () => {
      stack = await startStack({
        endpoints,
        portOffset: 2_600,
        logDir: join(dataDir, 'logs'),
        env: {
          ...isolatedStackEnv(prefix),
          ...ADMIN_ENV,
          ...CHECKOUT_TEST_ENV,
          MERCATO_SEED_PRODUCTS: '20',
          MERCATO_DATA_DIR: dataDir,
          MERCATO_STORAGE: 'memory',
          BUS_RETRY_BACKOFF_MS: '20',
          ORDER_CHECKOUT_LEASE_MS: String(LEASE_MS),
          ORDER_RECOVERY_INTERVAL_MS: String(RECOVERY_INTERVAL_MS),
        },
      });
      consumer = new KafkaMessageBus({
        brokers: endpoints.KAFKA_BROKERS.split(','),
        clientId: `ordfault-${randomBytes(3).toString('hex')}`,
        namespace: prefix,
        partitions: 3,
        retry: { maxAttempts: 3, backoffMs: 10 },
        requestTimeoutMs: 5_000,
        logger: silentBusLogger,
      });
      consumer.subscribe(OrderChanged, 'checkout-crash-spec', async (event) => {
        deliveries++;
        seen.add(`${event.orderId}#${event.version}`);
      });
      await consumer.start();
    });

    afterAll(async () => {
      await consumer?.close();
      await stack?.stop();
      await removeStackData(endpoints, prefix);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('finishes or compensates every checkout and loses no order event', async () => {
      const adminToken = await signInAdmin(stack.gatewayUrl);
      const sellerToken = await newSeller(stack.gatewayUrl, adminToken, 'Crash Goods');
      const unique = () => randomBytes(3).toString('hex');
      const password = 'crash password 2026';
      const category = firstLeaf((await api('GET', '/v1/categories')).body.items);
      const sku = `OC-${unique().toUpperCase()}`;
      const product = await api(
        'POST',
        '/v1/seller/products',
        productBody(category, [sku], 'Crash boot'),
        bearer(sellerToken),
      );
      expect(product.status).toBe(201);
      await eventually(
        async () => {
          const restock = await api(
            'POST',
            `/v1/admin/inventory/${sku}/restock`,
            { warehouseId: 'us-east', quantity: STOCK },
            { ...bearer(adminToken), 'idempotency-key': `crash-stock-${sku}` },
          );
          return restock.status === 200 ? true : undefined;
        },
        20_000,
        'the stock item',
      );

      const shoppers: { token: string; customerId: string; key: string }[] = [];
      for (let i = 0; i < SHOPPERS; i++) {
        const email = `crash-${i}-${unique()}@example.com`;
        const registered = await api('POST', '/v1/auth/register', {
          email,
          password,
          name: `Shopper ${i}`,
          region: 'us',
        });
        const token = (await api('POST', '/v1/auth/login', { email, password })).body
          .accessToken as string;
        expect(
          (await api('POST', '/v1/cart/items', { sku, quantity: 1 }, bearer(token))).status,
        ).toBe(200);
        shoppers.push({
          token,
          customerId: registered.body.customerId,
          key: `crash-${i}-${unique()}`,
        });
      }

      // The careful client: the same key again until the answer is final.
      const final = new Map<string, { status: number; orderId?: string }>();
      const checkout = async (shopper: (typeof shoppers)[number]) => {
        const deadline = Date.now() + 180_000;
        while (Date.now() < deadline) {
          const answer = await api(
            'POST',
            '/v1/checkout',
            { paymentToken: 'tok_visa', shippingAddress: US_ADDRESS },
            { ...bearer(shopper.token), 'idempotency-key': shopper.key },
          ).catch(() => undefined);
          const status = answer?.status ?? 0;
          if (
            status === 201 ||
            (status >= 400 && status < 500 && status !== 409) ||
            (status === 409 && answer?.body.code === 'OUT_OF_STOCK')
          ) {
            final.set(shopper.customerId, { status, orderId: answer?.body.orderId });
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        final.set(shopper.customerId, { status: -1 });
      };

      const stream = (async () => {
        const running: Promise<void>[] = [];
        for (const shopper of shoppers) {
          running.push(checkout(shopper));
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
        await Promise.all(running);
      })();
      for (let kill = 0; kill < KILLS; kill++) {
        await new Promise((resolve) => setTimeout(resolve, randomInt(300, 2_000)));
        const order = stack.apps.find((a) => a.name === 'order')!;
        order.process.kill('SIGKILL');
        await new Promise((resolve) => order.process.once('exit', resolve));
        await stack.restart('order');
      }
      await stream;

      // After the recovery window, every checkout is settled one way or the other.
      const { ms: settledInMs } = await eventually(
        async () => {
          const list = await api(
            'GET',
            `/v1/admin/orders?status=pending&limit=100`,
            undefined,
            bearer(adminToken),
          );
          return list.status === 200 && list.body.items.length === 0 ? true : undefined;
        },
        90_000,
        'no pending order left',
      );

      let confirmed = 0;
      let failed = 0;
      let units = 0;
      const orderIds: string[] = [];
      for (const shopper of shoppers) {
        const orders = await api(
          'GET',
          `/v1/admin/orders?customerId=${shopper.customerId}&limit=100`,
          undefined,
          bearer(adminToken),
        );
        expect(orders.status).toBe(200);
        const placed = orders.body.items.filter((o: { status: string }) =>
          PLACED.includes(o.status),
        );
        expect(placed.length).toBeLessThanOrEqual(1);
        for (const summary of orders.body.items as { orderId: string; status: string }[]) {
          orderIds.push(summary.orderId);
          const detail = (
            await api('GET', `/v1/admin/orders/${summary.orderId}`, undefined, bearer(adminToken))
          ).body;
          const types = detail.timeline.map((e: { type: string }) => e.type);
          if (PLACED.includes(summary.status)) {
            confirmed++;
            units += 1;
            expect(
              detail.payments.filter((p: { status: string }) => p.status === 'authorized'),
            ).toHaveLength(1);
            expect(types).toEqual(expect.arrayContaining(['stock_committed', 'cart_cleared']));
          } else {
            expect(summary.status).toBe('failed');
            failed++;
            expect(
              detail.payments.filter((p: { status: string }) => p.status !== 'voided'),
            ).toEqual([]);
          }
        }
        // A confirmed order is the shopper's final answer, and only then.
        const answer = final.get(shopper.customerId)!;
        if (placed.length === 1) {
          expect(answer).toEqual({ status: 201, orderId: placed[0].orderId });
          const cart = await api('GET', '/v1/cart', undefined, bearer(shopper.token));
          expect(cart.body.items).toEqual([]);
        } else {
          expect(answer.status).not.toBe(201);
        }
      }

      // Stock: sold units left on hand, nothing held by anyone.
      const probe = await api(
        'POST',
        `/v1/admin/inventory/${sku}/restock`,
        { warehouseId: 'us-east', quantity: 1 },
        { ...bearer(adminToken), 'idempotency-key': `crash-probe-${sku}` },
      );
      const warehouse = probe.body.stock.warehouses.find(
        (w: { warehouseId: string }) => w.warehouseId === 'us-east',
      );
      expect(warehouse.reserved).toBe(0);
      expect(warehouse.onHand).toBe(STOCK - units + 1);

      // The topic carried every stored event (repeats collapse by order id and version).
      let stored = 0;
      const expected = new Set<string>();
      for (const orderId of orderIds) {
        const detail = (
          await api('GET', `/v1/admin/orders/${orderId}`, undefined, bearer(adminToken))
        ).body;
        for (const entry of detail.timeline as { version: number }[]) {
          expected.add(`${orderId}#${entry.version}`);
          stored++;
        }
      }
      await eventually(
        async () => ([...expected].every((id) => seen.has(id)) ? true : undefined),
        30_000,
        'every stored order event on the topic',
      );
      const extra = [...seen].filter(
        (id) => orderIds.some((o) => id.startsWith(`${o}#`)) && !expected.has(id),
      );
      expect(extra).toEqual([]);

      process.stderr.write(
        `[checkout-crash] ${SHOPPERS} checkouts, ${KILLS} SIGKILLs of the order process: ` +
          `${confirmed} confirmed, ${failed} failed attempts, ${units} units sold of ${STOCK}; ` +
          `settled ${settledInMs} ms after the stream ended; ${stored} stored events, ` +
          `${deliveries} deliveries seen on ${OrderChanged.topic}\n`,
      );
    });
  },
);
