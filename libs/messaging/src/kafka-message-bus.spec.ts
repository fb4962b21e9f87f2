import { defineEvent } from '@mercato/contracts';
import { z } from 'zod';
import { silentBusLogger } from './bus-support';
import { KafkaMessageBus } from './kafka-message-bus';

/**
 * Without a broker only the unreachable path is exercised here; the shared contract suite runs
 * against a real Kafka in kafka-message-bus.int-spec.ts (not written yet: needs a broker).
 */
const ProbeHappened = defineEvent({
  type: 'test.probe.happened',
  version: 1,
  owner: 'catalog',
  schema: z.object({ n: z.number() }),
});

describe('KafkaMessageBus without a reachable broker', () => {
  it('starts anyway and reports in health() what it cannot reach', async () => {
    const bus = new KafkaMessageBus({
      brokers: ['127.0.0.1:1'],
      clientId: 'unreachable-test',
      partitions: 3,
      retry: { maxAttempts: 3, backoffMs: 1 },
      requestTimeoutMs: 1_000,
      logger: silentBusLogger,
    });

    try {
      await expect(bus.start()).resolves.toBeUndefined();

      const health = await bus.health();
      expect(health.up).toBe(false);
      expect(health.detail).toMatch(/^cannot reach Kafka at 127\.0\.0\.1:1: .+/);
      await expect(bus.publish(ProbeHappened, { n: 1 }, { key: 'k' })).rejects.toThrow(
        /^Cannot publish: cannot reach Kafka at 127\.0\.0\.1:1/,
      );
    } finally {
      await bus.close();
    }
  });
});
