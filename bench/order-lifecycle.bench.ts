/**
 * Order lifecycle benchmark (issue 20), on the embedded store and the seven-process stack:
 *  - warehouse events: BENCH_ORDERS orders (default 200) are placed through checkout before the
 *    clock starts, each with one line from us-east and one from eu-west, so fulfilment gives it
 *    two shipments; then every shipment is walked picked → packed → shipped → delivered (a new
 *    eventId each) by BENCH_EVENT_CONCURRENCY clients (default 16), closed loop, each client
 *    taking the next shipment and sending its four steps in turn, as a warehouse does;
 *  - capture catch-up: from the last event's answer until every order's payment shows its whole
 *    total captured (one capture per shipment, done by the lifecycle worker over the bus): does
 *    the worker keep up with the warehouses?
 *  - order reads: `GET /v1/orders/{orderId}` as each order's customer, at a fixed arrival rate
 *    (open loop, BENCH_READ_RATE/s for BENCH_READ_SECONDS, latency from the due time), then
 *    closed loop from 50 connections (autocannon) rotating through the orders.
 * Every event must answer 200 and every read 200; the figures count anything else as an error.
 * Run: `npm run bench:orders` (`BENCH_MODES=embedded` or `stack` to run one). Prints markdown
 * for docs/performance.md.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import type { CategoryNode } from '@mercato/contracts';
import { call, startEmbeddedStore } from '../test/support/embedded-store';
import { ADMIN, ADMIN_ENV } from '../test/support/test-admin';
import { atFixedRate, machine, percentile, say, waitReady, withBenchStack } from './support';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 300);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const WARM_UP_ORDERS = Number(process.env.BENCH_WARM_UP_ORDERS ?? 16);
const EVENT_CONCURRENCY = Number(process.env.BENCH_EVENT_CONCURRENCY ?? 16);
const READ_RATE = Number(process.env.BENCH_READ_RATE ?? 200);
const READ_SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 10);
const CONNECTIONS = 50;
/** How long the worker may take to capture everything after the last event before we give up. */
const CAPTURE_TIMEOUT_MS = Number(process.env.BENCH_CAPTURE_TIMEOUT_MS ?? 300_000);
const MODES = (process.env.BENCH_MODES ?? 'embedded,stack').split(',');

const STEPS = ['picked', 'packed', 'shipped', 'delivered'] as const;
/** Each order takes one line from each: no warehouse holds both, so it ships in two parts. */
const WAREHOUSES = ['us-east', 'eu-west'] as const;

/** The store under benchmark: many sign-ups from one address, a quiet log. */
const BENCH_ENV = {
  ...ADMIN_ENV,
  AUTH_REGISTER_IP_LIMIT: '1000000',
  AUTH_LOGIN_IP_LIMIT: '1000000',
  LOG_LEVEL: 'warn',
};

const ADDRESS = {
  name: 'Bench Shopper',
  line1: '1 Main St',
  city: 'Springfield',
  state: 'IL',
  postalCode: '62701',
  country: 'US',
};

type Headers = Record<string, string>;
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

interface BenchOrder {
  orderId: string;
  token: string;
  total: number;
  shipmentIds: string[];
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  total: number;
}

/** Where the bench talks to the store, and as whom. */
interface Session {
  baseUrl: string;
  adminToken: string;
  warehouseKey: string;
}

const api = (
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Headers = {},
) => call(baseUrl, method, path, { body, headers });

async function expectStatus(what: string, answer: ReturnType<typeof call>, status: number) {
  const got = await answer;
  if (got.status !== status)
    throw new Error(`${what}: ${got.status} ${JSON.stringify(got.body).slice(0, 300)}`);
  return got;
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
async function until<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  pauseMs = 25,
): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() - started > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** Runs `work(i)` for i = 0 … count − 1 with at most `width` in flight. */
async function inBatches<T>(count: number, width: number, work: (i: number) => Promise<T>) {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await work(i);
    }),
  );
  return results;
}

/** The first leaf of the category tree. */
const firstLeaf = (nodes: CategoryNode[]): string =>
  nodes[0].children.length ? firstLeaf(nodes[0].children) : nodes[0].categoryId;

/**
 * A product of one SKU in one leaf category, priced in every region. (The specs' helpers in
 * test/support/commerce.specs.ts and shop-accounts.ts pull in the jest suites, which the build
 * does not compile; these few lines stand in for them.)
 */
const productBody = (categoryId: string, sku: string) => ({
  title: `Bench ${sku}`,
  description: 'A product the order lifecycle benchmark ships.',
  brand: 'Northwind',
  categoryId,
  specs: { material: 'leather' },
  images: ['https://images.example/boot.jpg'],
  variants: [
    {
      sku,
      attributes: { size: '42' },
      prices: [
        { region: 'us', amount: 12_900, currency: 'USD' },
        { region: 'eu', amount: 11_900, currency: 'EUR' },
        { region: 'ap', amount: 19_800, currency: 'JPY' },
      ],
    },
  ],
});

/** A new seller account, created by the admin and signed in: its access token. */
async function newSeller(baseUrl: string, adminToken: string) {
  const email = `bench-seller-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'seller password 2026';
  await expectStatus(
    'seller',
    api(
      baseUrl,
      'POST',
      '/v1/admin/sellers',
      { email, password, name: 'Bench Warehouse Goods', region: 'us' },
      bearer(adminToken),
    ),
    201,
  );
  const login = await expectStatus(
    'seller login',
    api(baseUrl, 'POST', '/v1/auth/login', { email, password }),
    200,
  );
  return login.body.accessToken as string;
}

/**
 * The admin, a seller with one product per warehouse (stock for every order in that warehouse
 * only), and the warehouses' API key.
 */
async function setUp(baseUrl: string, orders: number) {
  // A stack that has just started may answer before identity has created the admin.
  const adminToken = await until(
    async () => {
      const login = await api(baseUrl, 'POST', '/v1/auth/login', ADMIN).catch(() => undefined);
      return login?.status === 200 ? (login.body.accessToken as string) : undefined;
    },
    60_000,
    'the admin login',
    250,
  );
  const sellerToken = await newSeller(baseUrl, adminToken);
  // A warehouse's key: the fulfillment scope, no seller.
  const key = await expectStatus(
    'fulfillment key',
    api(
      baseUrl,
      'POST',
      '/v1/admin/api-keys',
      { name: 'Bench warehouses', scopes: ['fulfillment'] },
      bearer(adminToken),
    ),
    201,
  );
  const leaf = firstLeaf(
    (await expectStatus('categories', api(baseUrl, 'GET', '/v1/categories'), 200)).body.items,
  );
  const skus: string[] = [];
  for (const warehouseId of WAREHOUSES) {
    const sku = `BENCH-${randomBytes(4).toString('hex').toUpperCase()}`;
    await expectStatus(
      'product',
      api(baseUrl, 'POST', '/v1/seller/products', productBody(leaf, sku), bearer(sellerToken)),
      201,
    );
    // The SKU's stock item follows the product over the bus: a 404 is waited out.
    const idempotencyKey = `bench-restock-${sku}`;
    await until(
      async () => {
        const restocked = await api(
          baseUrl,
          'POST',
          `/v1/admin/inventory/${sku}/restock`,
          { warehouseId, quantity: orders + 100 },
          { ...bearer(adminToken), 'idempotency-key': idempotencyKey },
        );
        if (restocked.status === 404) return undefined;
        if (restocked.status !== 200) throw new Error(`restock ${sku}: ${restocked.status}`);
        return true;
      },
      30_000,
      `the stock item of ${sku}`,
    );
    skus.push(sku);
  }
  return {
    session: { baseUrl, adminToken, warehouseKey: key.body.apiKey as string },
    skus,
  };
}

/** A new customer checks out one unit of each SKU; the order once its shipments are assigned. */
async function placeOrder(baseUrl: string, skus: string[], n: number, run: string) {
  const email = `bench-lc-${run}-${n}@example.com`;
  const password = 'bench password 2026';
  await expectStatus(
    'register',
    api(baseUrl, 'POST', '/v1/auth/register', {
      email,
      password,
      name: 'Bench Shopper',
      region: 'us',
    }),
    201,
  );
  const login = await expectStatus(
    'login',
    api(baseUrl, 'POST', '/v1/auth/login', { email, password }),
    200,
  );
  const token = login.body.accessToken as string;
  for (const sku of skus)
    await expectStatus(
      'add to cart',
      api(baseUrl, 'POST', '/v1/cart/items', { sku, quantity: 1 }, bearer(token)),
      200,
    );
  const placed = await expectStatus(
    'checkout',
    api(
      baseUrl,
      'POST',
      '/v1/checkout',
      { paymentToken: 'tok_visa', shippingAddress: ADDRESS },
      { ...bearer(token), 'idempotency-key': `bench-lc-${run}-${n}` },
    ),
    201,
  );
  const orderId = placed.body.orderId as string;
  const order = await until(
    async () => {
      const current = await api(baseUrl, 'GET', `/v1/orders/${orderId}`, undefined, bearer(token));
      return current.status === 200 &&
        current.body.status === 'fulfilling' &&
        current.body.shipments.length > 0
        ? current.body
        : undefined;
    },
    60_000,
    `the shipments of ${orderId}`,
    50,
  );
  return {
    orderId,
    token,
    total: order.totals.total.amount as number,
    shipmentIds: (order.shipments as { shipmentId: string }[]).map((s) => s.shipmentId),
  } satisfies BenchOrder;
}

async function placeOrders(baseUrl: string, skus: string[], count: number) {
  const run = randomBytes(3).toString('hex');
  let placed = 0;
  return inBatches(count, 8, async (i) => {
    const order = await placeOrder(baseUrl, skus, i, run);
    if (++placed % 50 === 0) say(`  ${placed} of ${count} orders fulfilling`);
    return order;
  });
}

/**
 * Every shipment of `orders` walked through its four steps by `concurrency` clients, closed
 * loop: a client takes the next shipment and sends its steps one after another.
 */
async function warehouseEvents(session: Session, orders: BenchOrder[], concurrency: number) {
  const shipments = orders.flatMap((o) => o.shipmentIds.map((shipmentId) => ({ o, shipmentId })));
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < shipments.length; i = next++) {
        const { o, shipmentId } = shipments[i];
        for (const type of STEPS) {
          const t0 = performance.now();
          const answer = await api(
            session.baseUrl,
            'POST',
            `/v1/fulfillment/${o.orderId}/events`,
            {
              shipmentId,
              eventId: `bench-${randomBytes(8).toString('hex')}`,
              type,
              occurredAt: new Date(Date.now() - 1_000).toISOString(),
              ...(type === 'shipped'
                ? { trackingNumber: `BX-${randomBytes(5).toString('hex')}` }
                : {}),
            },
            { 'x-api-key': session.warehouseKey },
          ).catch(() => ({ status: 0, body: undefined }));
          latencies.push(performance.now() - t0);
          if (answer.status !== 200) {
            if (errors++ < 5)
              say(`event ${type} ${o.orderId}: ${answer.status} ${JSON.stringify(answer.body)}`);
          }
        }
      }
    }),
  );
  const ended = performance.now();
  latencies.sort((a, b) => a - b);
  return {
    figures: {
      rps: latencies.length / ((ended - started) / 1000),
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      errors,
      total: latencies.length,
    } satisfies Figures,
    started,
    ended,
  };
}

/** Whether the order's whole total is captured, as the admin view's payment shows it. */
async function captured(session: Session, order: BenchOrder): Promise<boolean> {
  const view = await api(
    session.baseUrl,
    'GET',
    `/v1/admin/orders/${order.orderId}`,
    undefined,
    bearer(session.adminToken),
  );
  return view.status === 200 && view.body.payments?.[0]?.captured?.amount === order.total;
}

/**
 * Milliseconds from `from` until every order's total is captured: a few pollers walk the
 * orders still waiting, dropping each once it is done.
 */
async function captureCatchUp(session: Session, orders: BenchOrder[], from: number) {
  let waiting = orders;
  const deadline = performance.now() + CAPTURE_TIMEOUT_MS;
  while (waiting.length && performance.now() < deadline) {
    const done = await inBatches(waiting.length, 4, (i) => captured(session, waiting[i]));
    waiting = waiting.filter((_, i) => !done[i]);
    if (waiting.length) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ms: performance.now() - from, missing: waiting.length };
}

/** `GET /v1/orders/{orderId}` as its customer at a fixed arrival rate, the orders in turn. */
async function readsAtRate(baseUrl: string, orders: BenchOrder[]): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await atFixedRate(READ_RATE, READ_SECONDS, async (i, dueAt) => {
    const from = Math.min(dueAt, performance.now());
    const o = orders[i % orders.length];
    const answer = await api(baseUrl, 'GET', `/v1/orders/${o.orderId}`, undefined, bearer(o.token))
      .then((a) => a.status)
      .catch(() => 0);
    if (answer !== 200) errors++;
    latencies.push(performance.now() - from);
  });
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / ((performance.now() - started) / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    total: latencies.length,
  };
}

/** The same reads closed loop from 50 connections (autocannon), rotating through the orders. */
async function readsSaturated(
  baseUrl: string,
  orders: BenchOrder[],
  seconds: number,
): Promise<Figures> {
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => {
              const o = orders[next++ % orders.length];
              return { ...req, path: `/v1/orders/${o.orderId}`, headers: bearer(o.token) };
            },
          },
        ],
      },
      (error, out) => (error ? reject(error) : resolve(out)),
    );
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
  };
}

async function benchmark(mode: string, baseUrl: string): Promise<string[]> {
  say(`${mode}: seller, products, stock and the warehouses' key…`);
  const { session, skus } = await setUp(baseUrl, ORDERS + WARM_UP_ORDERS);
  say(`${mode}: placing ${WARM_UP_ORDERS} + ${ORDERS} orders through checkout…`);
  const warmUp = await placeOrders(baseUrl, skus, WARM_UP_ORDERS);
  const orders = await placeOrders(baseUrl, skus, ORDERS);
  const shipments = orders.reduce((n, o) => n + o.shipmentIds.length, 0);

  // Warm-up: the same walk on orders of their own, and their captures, before the clock.
  await warehouseEvents(session, warmUp, Math.min(EVENT_CONCURRENCY, warmUp.length));
  await captureCatchUp(session, warmUp, performance.now());

  say(`${mode}: ${shipments} shipments × ${STEPS.length} events, ${EVENT_CONCURRENCY} clients…`);
  const events = await warehouseEvents(session, orders, EVENT_CONCURRENCY);
  say(`${mode}: events ${JSON.stringify(events.figures)}`);
  const catchUp = await captureCatchUp(session, orders, events.ended);
  const sinceFirst = (catchUp.ms + events.ended - events.started) / 1000;
  say(`${mode}: captures ${JSON.stringify(catchUp)}`);

  say(`${mode}: order reads…`);
  await readsSaturated(baseUrl, warmUp, 3); // warm-up
  const atRate = await readsAtRate(baseUrl, orders);
  say(`${mode}: reads at ${READ_RATE}/s ${JSON.stringify(atRate)}`);
  const saturated = await readsSaturated(baseUrl, orders, READ_SECONDS);
  say(`${mode}: reads saturated ${JSON.stringify(saturated)}`);
  // autocannon stops at its deadline with requests still in flight: let them settle before the
  // store closes, so their answers do not end up as errors of a closing bus in the log.
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  const ms = (v: number) => v.toFixed(1);
  const s = (v: number) => (v / 1000).toFixed(1);
  return [
    `| ${mode} | warehouse events, ${EVENT_CONCURRENCY} clients, ${ORDERS} orders / ${shipments} shipments | ${Math.round(events.figures.rps)} events/s | ${ms(events.figures.p50)} | ${ms(events.figures.p99)} | ${events.figures.errors} of ${events.figures.total} |`,
    `| ${mode} | every shipment captured (${shipments} captures) | ${s(catchUp.ms)} s after the last event (${sinceFirst.toFixed(1)} s after the first) | — | — | ${catchUp.missing} orders not fully captured |`,
    `| ${mode} | \`GET /v1/orders/{id}\`, open loop at ${READ_RATE}/s for ${READ_SECONDS} s | ${atRate.rps.toFixed(1)} req/s completed | ${ms(atRate.p50)} | ${ms(atRate.p99)} | ${atRate.errors} of ${atRate.total} |`,
    `| ${mode} | \`GET /v1/orders/{id}\`, ${CONNECTIONS} connections, ${READ_SECONDS} s | ${Math.round(saturated.rps)} req/s | ${ms(saturated.p50)} | ${ms(saturated.p99)} | ${saturated.errors} of ${saturated.total} |`,
  ];
}

async function embedded(): Promise<string[]> {
  say(`embedded store, ${PRODUCTS} products…`);
  const store = await startEmbeddedStore({ ...BENCH_ENV, MERCATO_SEED_PRODUCTS: String(PRODUCTS) });
  try {
    return await benchmark('embedded', store.baseUrl);
  } finally {
    await store.close();
  }
}

function stack(): Promise<string[]> {
  return withBenchStack(
    { products: PRODUCTS, portOffset: 3300, env: BENCH_ENV },
    async (running) => {
      await waitReady(`${running.gatewayUrl}/health/ready`);
      return benchmark('stack', running.gatewayUrl);
    },
  );
}

async function main(): Promise<void> {
  const rows: string[] = [];
  if (MODES.includes('embedded')) rows.push(...(await embedded()));
  if (MODES.includes('stack')) rows.push(...(await stack()));
  const lines = [
    `Machine: ${machine()}`,
    `Command: npm run bench:orders (${ORDERS} orders of two shipments each, after ${WARM_UP_ORDERS} warm-up orders; events from ${EVENT_CONCURRENCY} clients, closed loop; reads ${READ_RATE}/s for ${READ_SECONDS} s, then ${CONNECTIONS} connections for ${READ_SECONDS} s)`,
    '',
    '| mode | run | throughput | p50 ms | p99 ms | errors |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...rows,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
