import { defineEvent } from '@mercato/contracts';
import { CONTRACT_RETRY_POLICY, describeWithEngines, eventBusContract } from '@mercato/testing';
import { z } from 'zod';
import type { DeadLetter } from './message-bus';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { silentBusLogger } from './bus-support';
import { KafkaMessageBus } from './kafka-message-bus';

/**
 * The shared MessageBus contract on a real Apache Kafka broker. Brokers come from KAFKA_BROKERS,
 * which the integration project's global setup fills from the engine harness (scripts/infra).
 * Outside CI a missing broker skips this file loudly; with CI=true it fails.
 */
const brokers = (process.env.KAFKA_BROKERS ?? '')
  .split(',')
  .map((broker) => broker.trim())
  .filter(Boolean);

function makeBus(): Promise<KafkaMessageBus> {
  return Promise.resolve(
    new KafkaMessageBus({
      brokers,
      // A fresh client id per bus: a fresh reply topic, and no state shared between tests.
      clientId: `contract-${randomBytes(4).toString('hex')}`,
      partitions: 3,
      retry: CONTRACT_RETRY_POLICY,
      requestTimeoutMs: 10_000,
      logger: silentBusLogger,
    }),
  );
}

/** An event contract on topics no earlier test used (`test.thing<run>.happened`). */
function freshEvent() {
  // Contract names are letters only: spell the random run id with letters.
  const run = randomBytes(4)
    .toString('hex')
    .replace(/[0-9]/g, (digit) => 'ghijklmnop'[Number(digit)]);
  const Happened = defineEvent({
    type: `test.thing${run}.happened`,
    version: 1,
    owner: 'catalog',
    schema: z.object({ seq: z.number().int() }),
  });
  return { run, Happened };
}

describeWithEngines('KafkaMessageBus on a real broker', ['KAFKA_BROKERS'], () => {
  jest.setTimeout(60_000);

  const admin = () =>
    new Kafka({
      clientId: 'contract-admin',
      brokers,
      connectionTimeout: 3_000,
      retry: { retries: 2 },
      logLevel: logLevel.NOTHING,
    }).admin();

  beforeAll(async () => {
    // Fail with one clear message when the broker named in KAFKA_BROKERS is not there.
    const probe = admin();
    try {
      await probe.connect();
      await probe.describeCluster();
    } catch (error) {
      throw new Error(
        `KAFKA_BROKERS=${brokers.join(',')} is not reachable (${String(error)}); ` +
          'start it with `bash scripts/infra/engines.sh start`',
      );
    } finally {
      await probe.disconnect();
    }
  });

  afterAll(async () => {
    // Each test makes fresh topics (test.thing<random>.*); drop them so a kept broker stays small.
    const cleaner = admin();
    try {
      await cleaner.connect();
      const topics = (await cleaner.listTopics()).filter((topic) => topic.startsWith('test.thing'));
      if (topics.length > 0) await cleaner.deleteTopics({ topics });
    } finally {
      await cleaner.disconnect();
    }
  });

  eventBusContract('kafka', makeBus);

  it('dead-letters unreadable and schema-invalid records with the reason, and keeps consuming the partition', async () => {
    const { run, Happened } = freshEvent();
    const bus = await makeBus();
    const handled: number[] = [];
    const letters: DeadLetter[] = [];
    bus.subscribe(Happened, 'poison-test', async ({ seq }) => void handled.push(seq));
    bus.onDeadLetter(Happened.topic, 'poison-ops', async (letter) => void letters.push(letter));
    await bus.start();
    const producer = new Kafka({
      clientId: `poison-${run}`,
      brokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    try {
      // All on one key, so one partition: the good record after the bad ones must still arrive.
      await producer.send({
        topic: Happened.topic,
        messages: [
          { key: 'k', value: '{ not json' },
          { key: 'k', value: JSON.stringify({ id: 'x', type: 'wrong' }) },
        ],
      });
      await bus.publish(Happened, { seq: 7 }, { key: 'k' });
      await bus.drain();
      const deadline = Date.now() + 20_000;
      while (letters.length < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    } finally {
      await producer.disconnect();
      await bus.close();
    }
    expect(handled).toEqual([7]);
    expect(letters).toHaveLength(2);
    for (const letter of letters) {
      expect(letter).toMatchObject({ topic: Happened.topic, group: 'poison-test', attempts: 1 });
      expect(letter.reason).toEqual(expect.any(String));
    }
  });

  it('commits what a group handled within a second while it runs, and all of it on close', async () => {
    const { run, Happened } = freshEvent();
    const group = `commit-test-${run}`;
    const committed = async (): Promise<number> => {
      const reader = admin();
      await reader.connect();
      try {
        const [topic] = await reader.fetchOffsets({ groupId: group, topics: [Happened.topic] });
        return topic.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
      } finally {
        await reader.disconnect();
      }
    };
    const bus = await makeBus();
    bus.subscribe(Happened, group, async () => undefined);
    await bus.start();
    try {
      for (let seq = 0; seq < 20; seq++) await bus.publish(Happened, { seq }, { key: `k${seq}` });
      await bus.drain();
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await committed()).toBe(20);

      for (let seq = 20; seq < 30; seq++) await bus.publish(Happened, { seq }, { key: `k${seq}` });
      await bus.drain();
    } finally {
      await bus.close(); // at once: the last ten are committed by close(), not by the timer
    }
    expect(await committed()).toBe(30);
  });
});
