import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { deadLetterTopic } from '@mercato/contracts';
import { KafkaMessageBus, silentBusLogger } from '@mercato/messaging';
import { createDocumentClient } from '@mercato/persistence';
import { describeWithEngines } from '@mercato/testing';
import { Kafka, logLevel } from 'kafkajs';
import { startConsumer, stopConsumer, waitUntil, type ConsumerProcess } from './consumer-process';
import { faultEvent, type ConsumerSettings } from './fault-event';

/**
 * A consumer process crashes (SIGKILL, no graceful shutdown) in the middle of a stream of events,
 * and a new process takes its place in the same consumer group. At-least-once delivery with an
 * idempotent handler means: every event is applied (the new process resumes from the committed
 * offsets, so nothing is lost), none is applied twice (what was handled but not yet committed
 * is delivered again and refused by the conditional write), and each key's events are applied in
 * order. The catalog consumes no events yet, so this is shown on the messaging layer itself.
 */
const EVENTS = 300;
const KEYS = ['k-alpha', 'k-bravo', 'k-charlie', 'k-delta', 'k-echo', 'k-foxtrot'];
const HANDLER_DELAY_MS = 10;
/** Published in small bursts, so the consumer commits as it goes and the crash splits the stream. */
const BURST = 20;
const BURST_EVERY_MS = 50;
/** The crash comes once this many events are applied. */
const KILL_AFTER = EVENTS / 2;

interface Applied {
  id: string;
  kind: 'applied';
  key: string;
  seq: number;
  generation: number;
  order: number;
}
interface Refused {
  id: string;
  kind: 'refused';
  of: string;
  generation: number;
}

const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join(
    '',
  );

describeWithEngines(
  'Fault: a consumer process crashes mid-stream',
  ['KAFKA_BROKERS', 'DYNAMODB_ENDPOINT'],
  (endpoints) => {
    jest.setTimeout(180_000);

    const run = letters(8);
    const contract = faultEvent(run);
    const group = `fault-consumer-${run}`;
    const table = `fault-consumer-${run}`;
    const brokers = endpoints.KAFKA_BROKERS.split(',');
    const { client, doc } = createDocumentClient(endpoints.DYNAMODB_ENDPOINT, 'us-east-1');
    const admin = new Kafka({
      clientId: `fault-admin-${run}`,
      brokers,
      connectionTimeout: 3_000,
      logLevel: logLevel.NOTHING,
    }).admin();
    const publisher = new KafkaMessageBus({
      brokers,
      clientId: `fault-publisher-${run}`,
      partitions: 3,
      retry: { maxAttempts: 3, backoffMs: 50 },
      requestTimeoutMs: 5_000,
      logger: silentBusLogger,
    });
    const consumers: ConsumerProcess[] = [];
    const settings = (generation: number): ConsumerSettings => ({
      FAULT_RUN: run,
      FAULT_GROUP: group,
      FAULT_TABLE: table,
      FAULT_GENERATION: String(generation),
      FAULT_DELAY_MS: String(HANDLER_DELAY_MS),
      KAFKA_BROKERS: endpoints.KAFKA_BROKERS,
      DYNAMODB_ENDPOINT: endpoints.DYNAMODB_ENDPOINT,
    });

    beforeAll(async () => {
      await client.send(
        new CreateTableCommand({
          TableName: table,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await admin.connect();
      await publisher.start();
      if (!(await publisher.health()).up) throw new Error((await publisher.health()).detail);
    });

    afterAll(async () => {
      await Promise.all(consumers.map((consumer) => stopConsumer(consumer)));
      await publisher.close();
      await admin.deleteGroups([group]).catch(() => undefined);
      await admin
        .deleteTopics({ topics: [contract.topic, deadLetterTopic(contract.topic)] })
        .catch(() => undefined);
      await admin.disconnect();
      await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
      client.destroy();
    });

    async function scanTable(): Promise<{ applied: Applied[]; refused: Refused[] }> {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      for (let page = 0; page < 100; page++) {
        const result = await doc.send(
          new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        items.push(...(result.Items ?? []));
        start = result.LastEvaluatedKey;
        if (!start) break;
      }
      return {
        applied: items.filter((item) => item.kind === 'applied') as unknown as Applied[],
        refused: items.filter((item) => item.kind === 'refused') as unknown as Refused[],
      };
    }

    async function committedTotal(): Promise<number> {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [contract.topic] });
      return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    }

    it('loses no event, applies none twice and keeps per-key order across a SIGKILL', async () => {
      const testStarted = Date.now();
      const published: string[] = [];
      const nextSeq = new Map(KEYS.map((key) => [key, 0]));
      const publishOne = async (index: number) => {
        const key = KEYS[index % KEYS.length];
        const seq = nextSeq.get(key)!;
        nextSeq.set(key, seq + 1);
        published.push((await publisher.publish(contract, { key, seq }, { key })).id);
      };

      // Generation 1 joins the group; the first event shows it is consuming before the stream starts.
      const first = startConsumer(settings(1));
      consumers.push(first);
      await first.ready;
      await publishOne(0);
      await waitUntil('generation 1 applies the first event', () => first.applied >= 1, {
        timeoutMs: 60_000,
      });

      // The stream: bursts of events at a steady pace; it carries on while the consumer is dead.
      let killedAt = 0;
      let appliedBeforeKill = 0;
      const streaming = (async () => {
        for (let index = 1; index < EVENTS; index += BURST) {
          for (let i = index; i < Math.min(index + BURST, EVENTS); i++) await publishOne(i);
          await new Promise((resolve) => setTimeout(resolve, BURST_EVERY_MS));
        }
      })();
      await waitUntil('generation 1 applies half the events', () => first.applied >= KILL_AFTER, {
        timeoutMs: 60_000,
        everyMs: 5,
      });
      first.child.kill('SIGKILL');
      killedAt = Date.now();
      await first.exited;
      appliedBeforeKill = first.applied;
      await streaming;
      expect(published).toHaveLength(EVENTS);
      expect(first.child.signalCode).toBe('SIGKILL');

      // What generation 1 left behind: applied events, and the offsets it had committed.
      const afterCrash = await scanTable();
      const gen1Applied = afterCrash.applied.length;
      const committed = await committedTotal();
      expect(gen1Applied).toBeGreaterThan(0);
      expect(gen1Applied).toBeLessThan(EVENTS);
      expect(committed).toBeGreaterThan(0); // it resumes from here, not from the beginning
      expect(committed).toBeLessThanOrEqual(gen1Applied);

      // Generation 2 in the same group sees exactly the records from the committed offsets on.
      const second = startConsumer(settings(2));
      consumers.push(second);
      await second.ready;
      const secondStarted = Date.now();
      const backlog = EVENTS - committed;
      await waitUntil(
        `generation 2 handles the ${backlog} records after the committed offsets`,
        () => second.applied + second.refused >= backlog,
        { timeoutMs: 90_000 },
      );
      const caughtUpAt = Date.now();
      const catchUpMs = caughtUpAt - secondStarted;
      // Nothing more arrives (a record handled twice by generation 2 would show here).
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      const { applied, refused } = await scanTable();
      const appliedIds = applied.map((item) => item.id);

      // None lost: every published event applied, and nothing else.
      expect(new Set(appliedIds).size).toBe(EVENTS);
      expect([...appliedIds].sort()).toEqual([...published].sort());
      // None applied twice: one applied row per event; the processes reported EVENTS applies in all.
      expect(applied).toHaveLength(EVENTS);
      expect(gen1Applied + second.applied).toBe(EVENTS);
      // The redeliveries are exactly what generation 1 applied past its committed offsets, and
      // every one was refused by the conditional write.
      expect(second.applied + second.refused).toBe(backlog);
      expect(second.refused).toBe(gen1Applied - committed);
      expect(second.refused).toBeGreaterThan(0); // the crash did leave handled, uncommitted records
      expect(refused).toHaveLength(second.refused);
      const gen1Ids = new Set(applied.filter((a) => a.generation === 1).map((a) => a.id));
      expect(refused.every((r) => r.generation === 2 && gen1Ids.has(r.of))).toBe(true);

      // Per-key order: in the order events were applied, each key's seq runs 0, 1, 2, … without gaps.
      const inApplyOrder = [...applied].sort(
        (a, b) => a.generation - b.generation || a.order - b.order,
      );
      for (const key of KEYS) {
        const seqs = inApplyOrder.filter((a) => a.key === key).map((a) => a.seq);
        expect(seqs).toEqual(seqs.map((_, index) => index));
      }

      process.stderr.write(
        `[consumer-crash] ${EVENTS} events on ${KEYS.length} keys; killed after ${appliedBeforeKill} ` +
          `reported (${gen1Applied} applied rows), committed ${committed}; generation 2 handled ` +
          `${backlog} (${second.applied} applied, ${second.refused} redeliveries refused) in ` +
          `${catchUpMs} ms after ready (${caughtUpAt - killedAt} ms from the kill, group rebalance included); ` +
          `test ${Date.now() - testStarted} ms\n`,
      );
    });
  },
);
