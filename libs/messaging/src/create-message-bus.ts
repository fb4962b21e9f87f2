import { InMemoryMessageBus } from './in-memory-message-bus';
import { KafkaMessageBus } from './kafka-message-bus';
import type { BusLogger } from './bus-support';
import type { MessageBus } from './message-bus';

/** The bus settings of the core config (libs/config); CoreConfig satisfies this shape. */
export interface MessagingConfig {
  MERCATO_BUS: string;
  KAFKA_BROKERS?: string[];
  KAFKA_CLIENT_ID?: string;
  KAFKA_NAMESPACE?: string;
  BUS_PARTITIONS?: number;
  BUS_MAX_ATTEMPTS?: number;
  BUS_RETRY_BACKOFF_MS?: number;
  BUS_REQUEST_TIMEOUT_MS?: number;
  BUS_SESSION_TIMEOUT_MS?: number;
  BUS_KEY_CONCURRENCY?: number;
}

export const BUS_ADAPTERS = ['memory', 'kafka'] as const;

/** Throws unless the config names a known adapter with what it needs (never a silent fallback). */
export function assertMessagingConfig(config: MessagingConfig): void {
  if (!(BUS_ADAPTERS as readonly string[]).includes(config.MERCATO_BUS)) {
    throw new Error(
      `Unknown MERCATO_BUS "${config.MERCATO_BUS}": expected one of ${BUS_ADAPTERS.join(', ')}`,
    );
  }
  if (config.MERCATO_BUS === 'kafka' && !config.KAFKA_BROKERS?.length) {
    throw new Error('MERCATO_BUS=kafka needs KAFKA_BROKERS (e.g. "localhost:9092")');
  }
}

/** Builds the configured bus, not yet started: for Nest (MessagingModule), scripts and tests. */
export function createMessageBus(
  config: MessagingConfig,
  options: { logger?: BusLogger } = {},
): MessageBus {
  assertMessagingConfig(config);
  const retry = {
    maxAttempts: config.BUS_MAX_ATTEMPTS ?? 5,
    backoffMs: config.BUS_RETRY_BACKOFF_MS ?? 100,
  };
  const partitions = config.BUS_PARTITIONS ?? 3;
  const requestTimeoutMs = config.BUS_REQUEST_TIMEOUT_MS ?? 5_000;
  const keyConcurrency = config.BUS_KEY_CONCURRENCY;
  if (config.MERCATO_BUS === 'kafka') {
    return new KafkaMessageBus({
      brokers: config.KAFKA_BROKERS ?? [],
      clientId: config.KAFKA_CLIENT_ID ?? 'mercato',
      namespace: config.KAFKA_NAMESPACE ?? '',
      partitions,
      retry,
      requestTimeoutMs,
      sessionTimeoutMs: config.BUS_SESSION_TIMEOUT_MS,
      keyConcurrency,
      logger: options.logger,
    });
  }
  return new InMemoryMessageBus({
    partitions,
    retry,
    requestTimeoutMs,
    keyConcurrency,
    logger: options.logger,
  });
}
