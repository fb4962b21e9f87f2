/**
 * Cart and checkout benchmark (issue 18), on the embedded store and the seven-process stack:
 *  - add to cart: `POST /v1/cart/items` from 50 connections over many guest carts (one unit of a
 *    SKU that has stock; each cart gets a few lines), closed loop for BENCH_SECONDS;
 *  - checkout at a fixed arrival rate (open loop, BENCH_CHECKOUT_RATE/s, default 10): each request
 *    a different customer with a one-line cart, latency counted from when it was due;
 *  - checkout saturation: BENCH_CHECKOUT_CONCURRENCY customers checking out back to back.
 * Every checkout must answer 201; the figures count anything else as an error.
 * Run: `npm run bench:checkout` (`BENCH_MODES=embedded` or `stack` to run one). Prints markdown
 * for docs/performance.md. Targets on a 2-core machine: add to cart on the embedded store
 * ≥ 1,150 req/s (10 × Vendure 3.7's addItemToOrder, 115 req/s); checkout p99 < 300 ms at
 * 10 checkouts/s on the stack.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { call, startEmbeddedStore } from '../test/support/embedded-store';
import { ADMIN_ENV } from '../test/support/test-admin';
import { atFixedRate, machine, percentile, say, waitReady, withBenchStack } from './support';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 5_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const GUEST_CARTS = Number(process.env.BENCH_GUEST_CARTS ?? 4_000);
const CHECKOUT_RATE = Number(process.env.BENCH_CHECKOUT_RATE ?? 10);
const CHECKOUT_SECONDS = Number(process.env.BENCH_CHECKOUT_SECONDS ?? 15);
const SATURATION_CHECKOUTS = Number(process.env.BENCH_SATURATION_CHECKOUTS ?? 200);
const CHECKOUT_CONCURRENCY = Number(process.env.BENCH_CHECKOUT_CONCURRENCY ?? 16);
const MODES = (process.env.BENCH_MODES ?? 'embedded,stack').split(',');

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
  postalCode: '62701',
  country: 'US',
};

/** The tests' JSON client, with the body and headers as positional arguments. */
const json = (
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => call(baseUrl, method, path, { body, headers });

/** SKUs of the seeded catalog with at least `min` units available in the us region. */
async function skusInStock(baseUrl: string, wanted: number, min: number): Promise<string[]> {
  const skus: string[] = [];
  let cursor: string | null = null;
  while (skus.length < wanted) {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await json(baseUrl, 'GET', `/v1/products?${query}`);
    for (const { productId } of page.body.items as { productId: string }[]) {
      const stock = await json(baseUrl, 'GET', `/v1/products/${productId}/availability`);
      for (const v of stock.body.variants as { sku: string; available: number }[]) {
        if (v.available >= min) skus.push(v.sku);
      }
    }
    cursor = page.body.nextCursor;
    if (!cursor) break;
  }
  return skus.slice(0, wanted);
}

/** `count` guest carts, each created by a first add (the id comes back in X-Cart-Id). */
async function guestCarts(baseUrl: string, skus: string[], count: number): Promise<string[]> {
  const carts: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
        const added = await json(baseUrl, 'POST', '/v1/cart/items', {
          sku: skus[(i + j) % skus.length],
          quantity: 1,
        });
        if (added.status !== 200)
          throw new Error(`guest cart: ${added.status} ${JSON.stringify(added.body)}`);
        return added.headers.get('x-cart-id')!;
      }),
    );
    carts.push(...batch);
  }
  return carts;
}

async function addToCart(baseUrl: string, skus: string[], carts: string[]) {
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: '/v1/cart/items',
            setupRequest: (req) => {
              const i = next++;
              // Cart i mod n, and a SKU that walks through the list: a cart gets a new line
              // each time round (the per-SKU and per-cart limits are never reached).
              const cart = carts[i % carts.length];
              const sku = skus[(Math.floor(i / carts.length) * 7 + i) % skus.length];
              return {
                ...req,
                headers: { 'content-type': 'application/json', 'x-cart-id': cart },
                body: JSON.stringify({ sku, quantity: 1 }),
              };
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

/** `count` customers, each signed in with one unit of a SKU in their cart. */
async function shoppersWithCarts(
  baseUrl: string,
  skus: string[],
  count: number,
): Promise<string[]> {
  const tokens: string[] = [];
  const run = randomBytes(3).toString('hex');
  for (let i = 0; i < count; i += 20) {
    tokens.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, async (_, j) => {
          const email = `bench-${run}-${i + j}@example.com`;
          const password = 'bench password 2026';
          const registered = await json(baseUrl, 'POST', '/v1/auth/register', {
            email,
            password,
            name: 'Bench Shopper',
            region: 'us',
          });
          if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
          const token = (await json(baseUrl, 'POST', '/v1/auth/login', { email, password })).body
            .accessToken as string;
          const added = await json(
            baseUrl,
            'POST',
            '/v1/cart/items',
            { sku: skus[(i + j) % skus.length], quantity: 1 },
            { authorization: `Bearer ${token}` },
          );
          if (added.status !== 200) throw new Error(`customer cart: ${added.status}`);
          return token;
        }),
      )),
    );
  }
  return tokens;
}

async function checkoutOnce(baseUrl: string, token: string): Promise<number> {
  const answer = await json(
    baseUrl,
    'POST',
    '/v1/checkout',
    { paymentToken: 'tok_visa', shippingAddress: ADDRESS },
    {
      authorization: `Bearer ${token}`,
      'idempotency-key': `bench-${randomBytes(8).toString('hex')}`,
    },
  );
  return answer.status;
}

async function checkoutsAtRate(baseUrl: string, tokens: string[]) {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await atFixedRate(CHECKOUT_RATE, CHECKOUT_SECONDS, async (i, dueAt) => {
    const from = Math.min(dueAt, performance.now());
    const status = await checkoutOnce(baseUrl, tokens[i]).catch(() => 0);
    if (status !== 201) errors++;
    latencies.push(performance.now() - from);
  });
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / ((performance.now() - started) / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
  };
}

async function checkoutSaturation(baseUrl: string, tokens: string[]) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CHECKOUT_CONCURRENCY }, async () => {
      for (let i = next++; i < tokens.length; i = next++) {
        const t0 = performance.now();
        const status = await checkoutOnce(baseUrl, tokens[i]).catch(() => 0);
        if (status !== 201) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / ((performance.now() - started) / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
  };
}

async function benchmark(mode: string, baseUrl: string): Promise<string[]> {
  say(`${mode}: finding SKUs in stock…`);
  const skus = await skusInStock(baseUrl, 400, 50);
  say(`${mode}: ${skus.length} SKUs; creating ${GUEST_CARTS} guest carts…`);
  const carts = await guestCarts(baseUrl, skus, GUEST_CARTS);
  // Warm-up, then the measured run.
  await addToCart(baseUrl, skus, carts.slice(0, 200));
  const adds = await addToCart(baseUrl, skus, carts);
  say(`${mode}: add to cart ${JSON.stringify(adds)}`);

  const rateCount = CHECKOUT_RATE * CHECKOUT_SECONDS;
  say(`${mode}: signing up ${rateCount + SATURATION_CHECKOUTS + 20} shoppers…`);
  const tokens = await shoppersWithCarts(baseUrl, skus, rateCount + SATURATION_CHECKOUTS + 20);
  await checkoutSaturation(baseUrl, tokens.slice(0, 20)); // warm-up
  const atRate = await checkoutsAtRate(baseUrl, tokens.slice(20, 20 + rateCount));
  say(`${mode}: checkout at ${CHECKOUT_RATE}/s ${JSON.stringify(atRate)}`);
  const saturation = await checkoutSaturation(baseUrl, tokens.slice(20 + rateCount));
  say(`${mode}: checkout saturation ${JSON.stringify(saturation)}`);

  const ms = (v: number) => v.toFixed(1);
  return [
    `| ${mode} | add to cart, ${CONNECTIONS} connections, ${carts.length} guest carts | ${Math.round(adds.rps)} req/s | ${ms(adds.p50)} | ${ms(adds.p99)} | ${adds.errors} of ${adds.total} |`,
    `| ${mode} | checkout, open loop at ${CHECKOUT_RATE}/s for ${CHECKOUT_SECONDS} s | ${atRate.rps.toFixed(1)} checkouts/s | ${ms(atRate.p50)} | ${ms(atRate.p99)} | ${atRate.errors} |`,
    `| ${mode} | checkout saturation, ${CHECKOUT_CONCURRENCY} in flight, ${SATURATION_CHECKOUTS} checkouts | ${saturation.rps.toFixed(1)} checkouts/s | ${ms(saturation.p50)} | ${ms(saturation.p99)} | ${saturation.errors} |`,
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
    { products: PRODUCTS, portOffset: 3200, env: BENCH_ENV },
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
    `Command: npm run bench:checkout (${PRODUCTS} products; add to cart ${SECONDS} s after a warm-up; checkout ${CHECKOUT_RATE}/s for ${CHECKOUT_SECONDS} s, then ${SATURATION_CHECKOUTS} back to back, ${CHECKOUT_CONCURRENCY} in flight)`,
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
