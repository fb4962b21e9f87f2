import { randomBytes } from 'node:crypto';
import type { RequestContract } from '@mercato/contracts';
import { KafkaMessageBus, silentBusLogger } from '@mercato/messaging';

/**
 * A Kafka bus client of a running stack, for tests and benchmarks that talk to the services
 * directly (as another service would): same namespace as the stack, its own client id.
 *
 * `start()` returns once a request of `probe` has been answered: a new client's reply consumer
 * joins its group a moment after it connects, and until then replies wait in the topic.
 */
export async function connectStackBus<C extends RequestContract>(options: {
  brokers: string;
  namespace: string;
  probe: { contract: C; request: () => unknown };
  requestTimeoutMs?: number;
  warmUpMs?: number;
}): Promise<KafkaMessageBus> {
  const bus = new KafkaMessageBus({
    brokers: options.brokers.split(','),
    clientId: `client-${randomBytes(3).toString('hex')}`,
    namespace: options.namespace,
    partitions: 3,
    retry: { maxAttempts: 1, backoffMs: 1 },
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    logger: silentBusLogger,
  });
  await bus.start();
  const warmUntil = Date.now() + (options.warmUpMs ?? 60_000);
  for (let answered = 0; answered < 3;) {
    try {
      await bus.request(options.probe.contract, options.probe.request() as never);
      answered++;
    } catch (error) {
      if (Date.now() > warmUntil) {
        await bus.close();
        throw error;
      }
    }
  }
  return bus;
}
