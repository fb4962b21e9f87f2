import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { KafkaMessageBus, silentBusLogger } from '@mercato/messaging';
import { createDocumentClient } from '@mercato/persistence';
import { faultEvent, type ConsumerReport, type ConsumerSettings } from './fault-event';

/**
 * The consumer of the consumer-crash fault test, run as its own process so the test can SIGKILL
 * it: `node -r @swc-node/register test/faults/idempotent-consumer.ts` with ConsumerSettings in
 * the environment. It subscribes to the run's event in a fixed group and applies each event
 * idempotently: a conditional put keyed by the envelope id. A redelivered event fails the
 * condition; it is recorded as `refused` (never applied a second time) and acknowledged.
 *
 * Items: `{ id: <envelope id>, kind: 'applied', key, seq, generation, order }` — `order` counts
 * applies within this process, so (generation, order) is the order events were applied in — and
 * `{ id: 'refused#<envelope id>#<generation>#<order>', kind: 'refused', of, ... }`.
 */
const settings = process.env as unknown as ConsumerSettings;
const generation = Number(settings.FAULT_GENERATION);
const delayMs = Number(settings.FAULT_DELAY_MS);
const table = settings.FAULT_TABLE;

const report = (line: ConsumerReport): void =>
  void process.stdout.write(`${JSON.stringify(line)}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const { doc } = createDocumentClient(settings.DYNAMODB_ENDPOINT, 'us-east-1');
  const bus = new KafkaMessageBus({
    brokers: settings.KAFKA_BROKERS.split(','),
    clientId: `fault-consumer-${generation}`,
    partitions: 3,
    retry: { maxAttempts: 5, backoffMs: 50 },
    requestTimeoutMs: 5_000,
    logger: silentBusLogger,
  });
  let order = 0;
  bus.subscribe(faultEvent(settings.FAULT_RUN), settings.FAULT_GROUP, async (data, envelope) => {
    await sleep(delayMs); // the work an event costs; the crash usually lands here
    order += 1;
    try {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            id: envelope.id,
            kind: 'applied',
            key: data.key,
            seq: data.seq,
            generation,
            order,
          },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      report({ kind: 'applied', id: envelope.id, key: data.key, seq: data.seq });
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            id: `refused#${envelope.id}#${generation}#${order}`,
            kind: 'refused',
            of: envelope.id,
            key: data.key,
            seq: data.seq,
            generation,
          },
        }),
      );
      report({ kind: 'refused', id: envelope.id, key: data.key, seq: data.seq });
    }
  });
  await bus.start();
  const health = await bus.health();
  if (!health.up) throw new Error(health.detail);
  report({ kind: 'ready', pid: process.pid });

  // A graceful stop (the test's cleanup when something failed): commit offsets, then exit.
  process.once('SIGTERM', () => {
    void bus.close().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  report({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
