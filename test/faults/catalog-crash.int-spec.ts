import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithEngines } from '@mercato/testing';
import { Kafka, logLevel } from 'kafkajs';
import { startStack, type RunningStack, type StackApp } from '../../scripts/stack/stack';
import { isolatedStackEnv, removeStackData } from '../../scripts/stack/stack-data';
import { percentile, startRequestStream, type StreamResult } from './request-stream';

/**
 * The catalog process is killed (SIGKILL: no graceful shutdown, its consumer group membership
 * left to expire) while the gateway serves a steady stream of catalog reads, and started again.
 * - While it is down, every request still gets an answer, and fast: a 5xx problem+json once the
 *   bus's reply timeout (BUS_REQUEST_TIMEOUT_MS) has passed, never a hanging connection.
 * - After the restart, requests succeed again within a bounded time (measured).
 * - The gateway process lives through it all.
 * Categories and browse are answered by the catalog process on every request (its category tree
 * and product cache live inside it), so they cannot succeed while it is down; product detail and
 * availability need the catalog too, but the gateway's read models may answer them: there a
 * fast 200 is fine too.
 */
const REQUEST_TIMEOUT_MS = 1_500;
/** What "fail fast" allows on top of the reply timeout (a loaded 2-core machine). */
const FAIL_FAST_MARGIN_MS = 1_000;
/** Detail asks catalog, then inventory: two request/replies in a row at most. */
const ANSWER_BOUND_MS = 2 * REQUEST_TIMEOUT_MS + FAIL_FAST_MARGIN_MS;
/** A request unanswered for this long is a hang. */
const HANG_AFTER_MS = 15_000;
const PER_SECOND = 20;
const WARM_MS = 3_000;
const DOWN_MS = 5_000;
/**
 * From the restart to steady success. A SIGKILLed member stays in its consumer group until its
 * session times out (BUS_SESSION_TIMEOUT_MS, 10 s after the kill), and the new process gets the
 * partitions (and reports ready) only then; the bound covers that, its boot and the backlog.
 */
const RECOVERY_BOUND_MS = 30_000;
/** Recovered: every request sent for this long has succeeded. */
const STEADY_MS = 3_000;
const PORT_OFFSET = 2_000;

const problemJson = (r: StreamResult) =>
  r.contentType.startsWith('application/problem+json') && r.problemStatus === r.status;
const failedFast = (r: StreamResult) =>
  (r.status === 502 || r.status === 504) &&
  problemJson(r) &&
  r.ms <= REQUEST_TIMEOUT_MS + FAIL_FAST_MARGIN_MS;
const stats = (results: StreamResult[]) => {
  const ms = results.map((r) => r.ms);
  return `n=${ms.length} p50=${percentile(ms, 50)} p99=${percentile(ms, 99)} max=${Math.max(...ms)} ms`;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithEngines(
  'Fault: the catalog process is killed during a stream of requests',
  // The stack as `npm run stack` runs it: every app on the real engines.
  ['KAFKA_BROKERS', 'DYNAMODB_ENDPOINT', 'REDIS_URL', 'OPENSEARCH_URL'],
  (endpoints) => {
    jest.setTimeout(360_000);

    const run = randomBytes(3).toString('hex');
    const prefix = `fault${run}-`;
    const dataDir = mkdtempSync(join(tmpdir(), 'mercato-fault-'));
    let stack: RunningStack | undefined;
    let passed = false;
    /** Products asked for before the kill (the gateway's read model may hold them)… */
    const warmIds: string[] = [];
    /** …and products first asked for while the catalog is down (only the catalog knows them). */
    const coldIds: string[] = [];
    const app = (name: StackApp['name']) => stack!.apps.find((a) => a.name === name)!;
    const kafkaAdmin = () =>
      new Kafka({
        clientId: `fault-admin-${run}`,
        brokers: endpoints.KAFKA_BROKERS.split(','),
        connectionTimeout: 3_000,
        logLevel: logLevel.NOTHING,
      }).admin();
    const get = (path: string) =>
      fetch(`${stack!.gatewayUrl}${path}`, { signal: AbortSignal.timeout(HANG_AFTER_MS) });

    beforeAll(async () => {
      stack = await startStack({
        endpoints,
        portOffset: PORT_OFFSET,
        logDir: join(dataDir, 'logs'),
        env: {
          // Tables, topics, consumer groups and index of its own: no other stack, bench or test
          // on these engines can answer (or swallow) this stack's requests.
          ...isolatedStackEnv(prefix),
          MERCATO_SEED_PRODUCTS: '60',
          MERCATO_DATA_DIR: dataDir,
          MERCATO_STORAGE: 'memory',
          BUS_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
          BUS_RETRY_BACKOFF_MS: '20',
        },
      });
      // Consumers join their groups after the apps report ready; wait until a request goes round.
      for (const deadline = Date.now() + 60_000; warmIds.length === 0; await sleep(500)) {
        if (Date.now() > deadline) throw new Error('the stack never answered GET /v1/products');
        const response = await get('/v1/products?limit=40').catch(() => undefined);
        if (response?.ok) {
          const ids = ((await response.json()) as { items: { productId: string }[] }).items.map(
            (item) => item.productId,
          );
          warmIds.push(...ids.slice(0, 3));
          coldIds.push(...ids.slice(3));
        }
      }
      if (coldIds.length < 10) throw new Error(`only ${warmIds.length + coldIds.length} products`);
    });

    afterAll(async () => {
      await stack?.stop();
      await removeStackData(endpoints, prefix);
      if (passed) rmSync(dataDir, { recursive: true, force: true });
      else process.stderr.write(`[catalog-crash] app logs kept in ${join(dataDir, 'logs')}\n`);
    });

    /** The broker's view: this stack's catalog group must hold its catalog alone. */
    async function catalogGroupMembers(): Promise<number> {
      const admin = kafkaAdmin();
      await admin.connect();
      try {
        const { groups } = await admin.describeGroups([`${prefix}catalog`]);
        return groups[0]?.members.length ?? 0;
      } finally {
        await admin.disconnect();
      }
    }

    it('fails fast while the catalog is down, recovers after its restart, and the gateway lives', async () => {
      const testStarted = Date.now();
      // Anything else in the group would answer (or swallow) requests and hide the fault.
      expect(await catalogGroupMembers()).toBe(1);
      const gateway = app('gateway');
      const killed = app('catalog');
      // Six kinds in turn; from the kill on, one slot asks for products nobody asked for before.
      let coldTurn = false;
      let cold = 0;
      const pathOf = (n: number) => {
        const warm = warmIds[n % warmIds.length];
        switch (n % 6) {
          case 0:
            return '/v1/categories';
          case 1:
            return '/v1/products?limit=5';
          case 2:
            return `/v1/products/${warm}/availability`;
          case 3:
          case 4:
            return `/v1/products/${warm}`;
          default:
            return coldTurn
              ? `/v1/products/${coldIds[cold++ % coldIds.length]}`
              : `/v1/products/${warm}`;
        }
      };
      const stream = startRequestStream({
        baseUrl: stack!.gatewayUrl,
        pathOf,
        perSecond: PER_SECOND,
        hangAfterMs: HANG_AFTER_MS,
        maxRequests: PER_SECOND * 200,
      });

      await sleep(WARM_MS);
      const killAt = Date.now();
      killed.process.kill('SIGKILL');
      coldTurn = true;
      await new Promise((resolve) => killed.process.once('exit', resolve));
      expect(killed.process.signalCode).toBe('SIGKILL');
      await sleep(DOWN_MS);

      const restartAt = Date.now();
      const restarted = await stack!.restart('catalog');
      const readyAt = Date.now();
      expect(restarted.process.pid).not.toBe(killed.process.pid);

      // Until every request sent during the last STEADY_MS succeeded (bounded in time).
      const steady = () => {
        const since = Math.max(readyAt, Date.now() - STEADY_MS);
        const recent = stream.results.filter((r) => r.sentAt >= since);
        return (
          Date.now() - readyAt >= STEADY_MS &&
          recent.length >= (STEADY_MS / 1_000) * PER_SECOND * 0.6 &&
          recent.every((r) => r.status === 200)
        );
      };
      for (
        const deadline = Math.max(readyAt, restartAt + RECOVERY_BOUND_MS) + STEADY_MS;
        !steady();
        await sleep(100)
      ) {
        if (Date.now() > deadline) break;
      }
      const results = (await stream.stop()).sort((a, b) => a.sentAt - b.sentAt);

      // No request hung or lost its connection, in any phase; none took longer than the bound.
      expect(results.filter((r) => r.status === 0)).toEqual([]);
      expect(results.filter((r) => r.ms > ANSWER_BOUND_MS)).toEqual([]);
      // Every failure, in any phase, is a 502/504 problem+json.
      expect(results.filter((r) => r.status !== 200 && !failedFast(r))).toEqual([]);

      // Before the kill: all succeed.
      const before = results.filter((r) => r.sentAt < killAt);
      expect(before.length).toBeGreaterThanOrEqual((WARM_MS / 1_000) * PER_SECOND * 0.8);
      expect(before.filter((r) => r.status !== 200)).toEqual([]);

      // While down (sent between the kill and the restart): catalog reads fail fast.
      const down = results.filter((r) => r.sentAt >= killAt && r.sentAt < restartAt);
      expect(down.length).toBeGreaterThanOrEqual((DOWN_MS / 1_000) * PER_SECOND * 0.8);
      // Detail and availability of products asked for before the kill may come from the
      // gateway's read models.
      const warmDetail = (r: StreamResult) =>
        warmIds.some(
          (id) => r.path === `/v1/products/${id}` || r.path === `/v1/products/${id}/availability`,
        );
      const needCatalog = down.filter((r) => !warmDetail(r));
      expect(needCatalog.length).toBeGreaterThanOrEqual(down.length / 2);
      expect(needCatalog.filter((r) => !failedFast(r))).toEqual([]);
      // Detail of a product the gateway's read model holds may still be served, fast.
      const fromReadModel = down.filter(warmDetail);
      expect(
        fromReadModel.filter(
          (r) => !failedFast(r) && !(r.status === 200 && r.ms < REQUEST_TIMEOUT_MS),
        ),
      ).toEqual([]);
      const failures = down.filter((r) => r.status !== 200);

      // After the restart: steady success within the bound. Recovered = the first request from
      // which on every request succeeded.
      const lastFailure = results.findLastIndex((r) => r.status !== 200);
      const recovered = results[lastFailure + 1];
      expect(recovered).toBeDefined();
      expect(recovered.sentAt - restartAt).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
      expect(results.filter((r) => r.sentAt >= recovered.sentAt).length).toBeGreaterThan(
        (STEADY_MS / 1_000) * PER_SECOND * 0.8,
      );

      // The gateway never died: same process, still live.
      expect(app('gateway').process.pid).toBe(gateway.process.pid);
      expect(gateway.process.exitCode).toBeNull();
      expect(gateway.process.signalCode).toBeNull();
      expect((await get('/health/live')).status).toBe(200);
      expect(readFileSync(gateway.logFile, 'utf8')).not.toMatch(/FATAL ERROR|uncaught/i);
      expect(await catalogGroupMembers()).toBe(1);

      const statuses = (rs: StreamResult[]) =>
        Object.entries(
          rs.reduce<Record<number, number>>(
            (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
            {},
          ),
        )
          .map(([status, n]) => `${status}×${n}`)
          .join(' ');
      const recovering = results.filter(
        (r) => r.sentAt >= restartAt && r.sentAt < recovered.sentAt,
      );
      process.stderr.write(
        `[catalog-crash] ${results.length} requests at ${PER_SECOND}/s, reply timeout ${REQUEST_TIMEOUT_MS} ms\n` +
          `  before kill:  ${statuses(before)}; ${stats(before)}\n` +
          `  down (${restartAt - killAt} ms): needing the catalog ${statuses(needCatalog)}; ` +
          `warm detail (gateway read model) ${statuses(fromReadModel)}; failures ${stats(failures)}\n` +
          `  restart: ready ${readyAt - restartAt} ms after restart() (${readyAt - killAt} ms after the kill)\n` +
          `  recovering: ${statuses(recovering)}; ${stats(recovering)}\n` +
          `  recovered: ${recovered.sentAt - restartAt} ms after restart() (${recovered.sentAt - readyAt} ms after ready, ${recovered.sentAt - killAt} ms after the kill)\n` +
          `  after: ${stats(results.filter((r) => r.sentAt >= recovered.sentAt))}; test ${Date.now() - testStarted} ms\n`,
      );
      passed = true;
    });
  },
);
