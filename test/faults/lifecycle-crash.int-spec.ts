import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithEngines } from '@mercato/testing';
import { startStack, type RunningStack } from '../../scripts/stack/stack';
import { isolatedStackEnv, removeStackData } from '../../scripts/stack/stack-data';
import { CHECKOUT_TEST_ENV } from '../support/checkout.specs';
import { eventually, firstLeaf, productBody } from '../support/commerce.specs';
import { call } from '../support/embedded-store';
import { bearer, checkout, newCustomer, restock, unique } from '../support/shopping';
import { newSeller, signInAdmin } from '../support/shop-accounts';
import { ADMIN_ENV } from '../support/test-admin';

/**
 * Money exactly once under crashes (issue 20): the order process is killed (SIGKILL) three
 * times, at random moments, while warehouses stream picked/packed/shipped/delivered events for
 * a dozen split orders and their customers return a unit of each; it is started again each
 * time. Clients are careful: a request that dies is sent again with the same event id or
 * Idempotency-Key. Afterwards every shipment is captured exactly once and every return refunded
 * exactly once, counted in the payment provider's own ledger (one operation per key), and the
 * amounts add up.
 */
const ORDERS = 12;
const KILLS = 3;
const STEPS = ['picked', 'packed', 'shipped', 'delivered'] as const;

interface Shipment {
  shipmentId: string;
  amount: { amount: number };
}

interface LedgerEntry {
  operation: string;
  amount: { amount: number };
  reference: string;
}

describeWithEngines(
  'Fault: the order process is killed while warehouses ship and customers return',
  ['KAFKA_BROKERS', 'DYNAMODB_ENDPOINT', 'REDIS_URL'],
  (endpoints) => {
    jest.setTimeout(480_000);
    const prefix = `lcfault${unique().toLowerCase().slice(0, 6)}-`;
    const dataDir = mkdtempSync(join(tmpdir(), 'mercato-lcfault-'));
    let stack: RunningStack;
    const api = (method: string, path: string, body?: unknown, headers = {}) =>
      call(stack.gatewayUrl, method, path, { body, headers });

    /** Sends until the answer is final: a dead order process answers 5xx or not at all. */
    async function careful(
      method: string,
      path: string,
      body: unknown,
      headers: Record<string, string>,
    ) {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const answer = await api(method, path, body, headers).catch(() => undefined);
        const status = answer?.status ?? 0;
        if (status >= 200 && status < 300) return answer!;
        if (status >= 400 && status < 500 && status !== 409 && status !== 429) {
          throw new Error(`${method} ${path} refused: ${status} ${JSON.stringify(answer?.body)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      throw new Error(`${method} ${path} never answered`);
    }

    beforeAll(async () => {
      stack = await startStack({
        endpoints,
        portOffset: 2_700,
        logDir: join(dataDir, 'logs'),
        env: {
          ...isolatedStackEnv(prefix),
          ...ADMIN_ENV,
          ...CHECKOUT_TEST_ENV,
          MERCATO_SEED_PRODUCTS: '20',
          MERCATO_DATA_DIR: dataDir,
          MERCATO_STORAGE: 'memory',
          BUS_RETRY_BACKOFF_MS: '20',
          // The sweeper is the safety net for work whose change message was lost in a crash.
          ORDER_LIFECYCLE_SWEEP_MS: '2000',
          ORDER_PAYMENT_ATTEMPTS: '3',
        },
      });
    });

    afterAll(async () => {
      await stack?.stop();
      await removeStackData(endpoints, prefix);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('captures every shipment once and refunds every return once, by the provider’s ledger', async () => {
      const admin = await signInAdmin(stack.gatewayUrl);
      const sellerToken = await newSeller(stack.gatewayUrl, admin, 'Crash Lifecycle Goods');
      const category = firstLeaf((await api('GET', '/v1/categories')).body.items);
      const [a, b] = [`LCA-${unique()}`, `LCB-${unique()}`];
      for (const [sku, title] of [
        [a, 'Crash boot'],
        [b, 'Crash lace'],
      ]) {
        const created = await api(
          'POST',
          '/v1/seller/products',
          productBody(category, [sku], title),
          bearer(sellerToken),
        );
        expect(created.status).toBe(201);
      }
      // A only in us-east, B only in eu-west: every order ships in two shipments.
      await restock(stack.gatewayUrl, admin, a, 'us-east', ORDERS * 2);
      await restock(stack.gatewayUrl, admin, b, 'eu-west', ORDERS);

      const orders: { orderId: string; token: string; total: number }[] = [];
      for (let i = 0; i < ORDERS; i++) {
        const shopper = await newCustomer(stack.gatewayUrl);
        for (const [sku, quantity] of [
          [a, 2],
          [b, 1],
        ] as const) {
          const added = await api(
            'POST',
            '/v1/cart/items',
            { sku, quantity },
            bearer(shopper.token),
          );
          expect(added.status).toBe(200);
        }
        const placed = await checkout(stack.gatewayUrl, shopper.token, `lc-${unique()}`);
        expect(placed.status).toBe(201);
        orders.push({
          orderId: placed.body.orderId,
          token: shopper.token,
          total: placed.body.totals.total.amount,
        });
      }
      const shipmentsOf = new Map<string, Shipment[]>();
      for (const order of orders) {
        const { value } = await eventually(
          async () => {
            const view = await api(
              'GET',
              `/v1/orders/${order.orderId}`,
              undefined,
              bearer(order.token),
            );
            return view.body.shipments?.length === 2
              ? (view.body.shipments as Shipment[])
              : undefined;
          },
          30_000,
          `shipments of ${order.orderId}`,
        );
        shipmentsOf.set(order.orderId, value);
      }

      // The warehouses' stream and the customers' returns, while the order process dies.
      const returns = new Map<string, { returnId: string; refund: number }>();
      const stream = Promise.all(
        orders.map(async (order, i) => {
          await new Promise((resolve) => setTimeout(resolve, i * 150));
          for (const step of STEPS) {
            for (const shipment of shipmentsOf.get(order.orderId)!) {
              await careful(
                'POST',
                `/v1/fulfillment/${order.orderId}/events`,
                {
                  shipmentId: shipment.shipmentId,
                  eventId: `${shipment.shipmentId}-${step}`,
                  type: step,
                  occurredAt: new Date().toISOString(),
                  ...(step === 'shipped' ? { trackingNumber: `1Z${unique()}` } : {}),
                },
                bearer(admin),
              );
            }
          }
          const requested = await careful(
            'POST',
            `/v1/orders/${order.orderId}/returns`,
            { items: [{ sku: a, quantity: 1, reason: 'too small', condition: 'resellable' }] },
            { ...bearer(order.token), 'idempotency-key': `ret-${order.orderId}` },
          );
          const { returnId } = requested.body;
          returns.set(order.orderId, { returnId, refund: requested.body.refund.amount });
          await careful(
            'POST',
            `/v1/fulfillment/${order.orderId}/returns/${returnId}/receive`,
            undefined,
            bearer(admin),
          );
        }),
      );
      for (let kill = 0; kill < KILLS; kill++) {
        await new Promise((resolve) => setTimeout(resolve, randomInt(500, 2_500)));
        const victim = stack.apps.find((app) => app.name === 'order')!;
        victim.process.kill('SIGKILL');
        await new Promise((resolve) => victim.process.once('exit', resolve));
        await stack.restart('order');
      }
      await stream;

      for (const order of orders) {
        const shipments = shipmentsOf.get(order.orderId)!;
        const { returnId, refund } = returns.get(order.orderId)!;
        const { value: detail } = await eventually(
          async () => {
            const view = await api(
              'GET',
              `/v1/admin/orders/${order.orderId}`,
              undefined,
              bearer(admin),
            );
            const payment = view.body.payments?.[0];
            const types = ((view.body.timeline ?? []) as { type: string }[]).map((e) => e.type);
            // Settled when the provider and the order agree: a crash between a call and its
            // record leaves the record to the redelivery or the sweeper, a moment later.
            const settled =
              payment?.captured.amount === order.total &&
              payment?.refunded.amount === refund &&
              types.filter((t) => t === 'payment_captured').length >= 2 &&
              types.includes('return_refunded');
            return settled ? view.body : undefined;
          },
          60_000,
          `captures and refund of ${order.orderId}`,
        );
        const ledger = detail.payments[0].ledger as LedgerEntry[];
        const captures = ledger.filter((entry) => entry.operation === 'capture');
        // One capture per shipment, for its amount, under its key: never twice.
        expect(captures.map((entry) => entry.reference).sort()).toEqual(
          shipments.map((s) => `${order.orderId}:capture:${s.shipmentId}`).sort(),
        );
        for (const shipment of shipments) {
          const entry = captures.find((c) => c.reference.endsWith(shipment.shipmentId))!;
          expect(entry.amount.amount).toBe(shipment.amount.amount);
        }
        expect(ledger.filter((entry) => entry.operation === 'refund')).toEqual([
          expect.objectContaining({
            reference: `${order.orderId}:refund:${returnId}`,
            amount: expect.objectContaining({ amount: refund }),
          }),
        ]);
        const types = (detail.timeline as { type: string }[]).map((e) => e.type);
        expect(types.filter((t) => t === 'payment_captured')).toHaveLength(2);
        expect(types.filter((t) => t === 'return_refunded')).toHaveLength(1);
        // What the customer paid for what they kept.
        expect(detail.payments[0].captured.amount - detail.payments[0].refunded.amount).toBe(
          order.total - refund,
        );
      }
    });
  },
);
