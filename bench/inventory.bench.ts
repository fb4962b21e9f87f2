/**
 * Reservations benchmark (issue 4), on the embedded store and on the seven-process stack:
 *  - spread: one-unit reservations over 10,000 SKUs, as many in flight as `CONCURRENCY`;
 *  - hot: one SKU (a Prime Day item) with `HOT_STOCK` units and far more reservations than
 *    that, so most of them race for the last units;
 *  - product detail with availability (uncached: read model dropped by the stock events).
 * Reservations go over the bus, as checkout will send them (keyed by reservation id, see
 * ReserveStock): the embedded store's in-process bus, or Kafka request/reply to the inventory
 * process. After each run every touched SKU's
 * availability is read back: granted reservations must equal the units that left `available`,
 * and no SKU may have given more than it had (zero oversell).
 * Run: `npm run bench:inventory` (`BENCH_MODES=embedded` or `stack` to run one). Prints
 * markdown for docs/performance.md. Targets on a 2-core machine: ≥ 500/s spread, ≥ 100/s hot.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@mercato/persistence';
import { GetAvailability, ListCategories, ReserveStock, RestockStock } from '@mercato/contracts';
import { generateCatalog } from '@mercato/demo-data';
import type { MessageBus } from '@mercato/messaging';
import { connectStackBus } from '../scripts/stack/stack-bus';
import { startEmbeddedStore } from '../test/support/embedded-store';
import { load, machine, percentile, say, withBenchStack } from './support';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 3_800);
const SPREAD_SKUS = 10_000;
const SPREAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const HOT_STOCK = 1_000;
const HOT_ATTEMPTS = Number(process.env.BENCH_HOT_ATTEMPTS ?? 3_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const MODES = (process.env.BENCH_MODES ?? 'embedded,stack').split(',');
/** Partitions per topic (BUS_PARTITIONS): how many requests inventory handles at once. */
const PARTITIONS = process.env.BENCH_PARTITIONS ?? '3';

interface RunFigures {
  label: string;
  attempts: number;
  granted: number;
  refused: number;
  failed: number;
  seconds: number;
  /** Seconds from the start to the last granted reservation (the hot SKU sells out before the end). */
  grantingSeconds: number;
  p50: number;
  p99: number;
  oversold: number;
}

/** `CONCURRENCY` workers send reservations until `next()` says stop. */
async function reserveLoop(
  bus: MessageBus,
  label: string,
  next: (i: number) => { sku: string } | undefined,
): Promise<{ figures: Omit<RunFigures, 'oversold'>; grantedBySku: Map<string, number> }> {
  const run = randomBytes(3).toString('hex');
  const latencies: number[] = [];
  const grantedBySku = new Map<string, number>();
  let issued = 0;
  let granted = 0;
  let refused = 0;
  let failed = 0;
  const started = performance.now();
  let lastGrantAt = started;
  /** Answers per second of the run: [granted, refused]. */
  const timeline: [number, number][] = [];
  const tick = (outcome: 0 | 1) => {
    const second = Math.floor((performance.now() - started) / 1000);
    for (let s = timeline.length; s <= second; s++) timeline.push([0, 0]);
    timeline[second][outcome]++;
  };
  const worker = async () => {
    for (;;) {
      const i = issued++;
      const target = next(i);
      if (!target) return;
      const t0 = performance.now();
      try {
        const answer = await bus.request(
          ReserveStock,
          { reservationId: `bench-${run}-${i}`, sku: target.sku, quantity: 1, region: 'us' },
          { key: `bench-${run}-${i}`, timeoutMs: 30_000 },
        );
        latencies.push(performance.now() - t0);
        if (answer.status === 'reserved') {
          granted++;
          lastGrantAt = performance.now();
          tick(0);
          grantedBySku.set(target.sku, (grantedBySku.get(target.sku) ?? 0) + 1);
        } else {
          refused++;
          tick(1);
        }
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  say(`${label}, granted/refused per second: ${timeline.map(([g, r]) => `${g}/${r}`).join(' ')}`);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    figures: {
      label,
      attempts: granted + refused + failed,
      granted,
      refused,
      failed,
      seconds,
      grantingSeconds: (lastGrantAt - started) / 1000,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
    },
    grantedBySku,
  };
}

/** Available units per SKU (all warehouses), 100 SKUs per request. */
async function availableOf(bus: MessageBus, skus: string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (let i = 0; i < skus.length; i += 100) {
    const { items } = await bus.request(GetAvailability, {
      skus: skus.slice(i, i + 100),
      region: 'us',
    });
    for (const item of items) result.set(item.sku, item.available);
  }
  return result;
}

/** SKUs whose available count fell by more than they granted, or below zero. */
function oversold(
  before: Map<string, number>,
  after: Map<string, number>,
  granted: Map<string, number>,
): number {
  let bad = 0;
  for (const [sku, initially] of before) {
    const now = after.get(sku) ?? 0;
    const given = granted.get(sku) ?? 0;
    if (now < 0 || given > initially || initially - now !== given) bad++;
  }
  return bad;
}

async function benchmark(mode: string, bus: MessageBus, gatewayUrl: string): Promise<string[]> {
  const catalog = [...generateCatalog({ seed: 42, products: PRODUCTS })];
  const skus = catalog.flatMap((p) => p.variants.map((v) => v.sku)).slice(0, SPREAD_SKUS);
  if (skus.length < SPREAD_SKUS) throw new Error(`only ${skus.length} SKUs; raise BENCH_PRODUCTS`);

  // Spread: every SKU in turn, for SPREAD_SECONDS.
  const spreadBefore = await availableOf(bus, skus);
  const deadline = performance.now() + SPREAD_SECONDS * 1000;
  const spread = await reserveLoop(bus, 'spread over 10,000 SKUs', (i) =>
    performance.now() < deadline ? { sku: skus[(i * 7919) % skus.length] } : undefined,
  );
  const spreadAfter = await availableOf(bus, skus);
  const spreadFigures: RunFigures = {
    ...spread.figures,
    oversold: oversold(spreadBefore, spreadAfter, spread.grantedBySku),
  };
  say(`${mode}: ${JSON.stringify(spreadFigures)}`);

  // Hot: one SKU with HOT_STOCK units, HOT_ATTEMPTS reservations.
  const hotSku = catalog[catalog.length - 1].variants[0].sku;
  const hotBefore = (await availableOf(bus, [hotSku])).get(hotSku) ?? 0;
  await bus.request(RestockStock, {
    operationId: `bench-hot-${randomBytes(3).toString('hex')}`,
    sku: hotSku,
    warehouseId: 'us-east',
    quantity: HOT_STOCK,
  });
  const hotStart = new Map([[hotSku, hotBefore + HOT_STOCK]]);
  // Its seeded stock plus the restock: the label names what the reservations race for.
  const hot = await reserveLoop(bus, `one hot SKU (${hotBefore + HOT_STOCK} units)`, (i) =>
    i < HOT_ATTEMPTS ? { sku: hotSku } : undefined,
  );
  const hotFigures: RunFigures = {
    ...hot.figures,
    oversold: oversold(hotStart, await availableOf(bus, [hotSku]), hot.grantedBySku),
  };
  say(`${mode}: ${JSON.stringify(hotFigures)}`);

  // Detail with availability, uncached: products whose stock just changed.
  const touched = [...new Set(catalog.slice(0, 1_500).map((p) => p.productId))];
  const detail = await load(
    gatewayUrl,
    touched.map((id) => `/v1/products/${id}`),
    { seconds: 10, connections: 10 },
  );

  const row = (f: RunFigures) =>
    `| ${mode} | ${f.label} | ${Math.round(f.attempts / f.seconds)} | ${Math.round(f.granted / f.grantingSeconds)} | ${f.granted} / ${f.refused} / ${f.failed} | ${f.p50.toFixed(1)} | ${f.p99.toFixed(1)} | ${f.oversold} |`;
  return [
    row(spreadFigures),
    row(hotFigures),
    `| ${mode} | GET /v1/products/{id} with availability (1,500 products, 10 connections) | ${Math.round(detail.rps)} req/s | — | errors ${detail.errors + detail.non2xx} | ${detail.p50} | ${detail.p99} | — |`,
  ];
}

/**
 * The reference for the spread figure: how many small conditional UpdateItems per second one
 * Node process with the AWS SDK gets from the dynalite server in this run, with `CONCURRENCY`
 * in flight (a spread reservation costs two: the hold and the outbox clear), and how much of a
 * core that client spent. Measured 2026-12-06: the client sat at ~100% of its core and dynalite
 * at ~50%, so the figure is a client process's SDK ceiling, not dynalite's. A scratch table,
 * deleted after.
 */
async function sdkWriteCeiling(
  endpoint: string,
  seconds = 5,
): Promise<{ writesPerSecond: number; clientCpu: number }> {
  const { client, doc } = createDocumentClient(endpoint, 'us-east-1');
  const table = `bench-ceiling-${randomBytes(3).toString('hex')}`;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'sku', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: table });
    const keys = Array.from({ length: 1_000 }, (_, i) => `ceiling-${i}`);
    for (const sku of keys) {
      await doc.send(new PutCommand({ TableName: table, Item: { sku, available: 1_000_000 } }));
    }
    let writes = 0;
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        for (let i = worker; performance.now() < deadline; i += CONCURRENCY) {
          await doc.send(
            new UpdateCommand({
              TableName: table,
              Key: { sku: keys[i % keys.length] },
              UpdateExpression: 'SET available = available - :one',
              ConditionExpression: 'available >= :one',
              ExpressionAttributeValues: { ':one': 1 },
            }),
          );
          writes++;
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      writesPerSecond: writes / (elapsedMs / 1000),
      clientCpu: (cpu.user + cpu.system) / 1000 / elapsedMs,
    };
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    client.destroy();
  }
}

async function embedded(): Promise<string[]> {
  say(`embedded store, ${PRODUCTS} products…`);
  const store = await startEmbeddedStore({
    MERCATO_SEED_PRODUCTS: String(PRODUCTS),
    BUS_PARTITIONS: PARTITIONS,
  });
  try {
    return await benchmark('embedded', store.bus, store.baseUrl);
  } finally {
    await store.close();
  }
}

function stack(): Promise<string[]> {
  return withBenchStack(
    { products: PRODUCTS, portOffset: 3100, env: { BUS_PARTITIONS: PARTITIONS } },
    async (running, endpoints, prefix) => {
      const bus = await connectStackBus({
        brokers: endpoints.KAFKA_BROKERS,
        namespace: prefix,
        probe: { contract: ListCategories, request: () => ({}) },
        requestTimeoutMs: 30_000,
      });
      try {
        const rows = await benchmark('stack', bus, running.gatewayUrl);
        const ceiling = await sdkWriteCeiling(endpoints.DYNAMODB_ENDPOINT);
        const clientCpu = `${Math.round(ceiling.clientCpu * 100)}% of a core`;
        say(
          `one SDK client's ceiling: ${Math.round(ceiling.writesPerSecond)} conditional writes/s, the client at ${clientCpu}`,
        );
        return [
          ...rows,
          `| stack | reference: small conditional writes to dynalite from one Node process (AWS SDK), ${CONCURRENCY} in flight; the client at ${clientCpu} | ${Math.round(ceiling.writesPerSecond)} writes/s | ${Math.round(ceiling.writesPerSecond / 2)} at two writes per reservation | — | — | — | — |`,
        ];
      } finally {
        await bus.close();
      }
    },
  );
}

async function main(): Promise<void> {
  const rows: string[] = [];
  if (MODES.includes('embedded')) rows.push(...(await embedded()));
  if (MODES.includes('stack')) rows.push(...(await stack()));
  const lines = [
    `Machine: ${machine()}`,
    `Command: npm run bench:inventory (${PRODUCTS} products; ${PARTITIONS} partitions per topic; ${CONCURRENCY} reservations in flight; spread ${SPREAD_SECONDS} s; hot ${HOT_ATTEMPTS} attempts on the seeded stock + ${HOT_STOCK} units)`,
    '',
    '| mode | run | reservations/s (all answers) | granted/s until the last grant | granted / refused / failed | p50 ms | p99 ms | SKUs oversold |',
    '| --- | --- | ---: | ---: | --- | ---: | ---: | ---: |',
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
