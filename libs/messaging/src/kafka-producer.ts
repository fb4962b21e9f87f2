import type { Kafka, Message, Producer } from 'kafkajs';
import { CoalescingSender } from './coalescing-sender';

/**
 * The bus's one producer: idempotent (a retried send never duplicates a message), and every send
 * goes through a CoalescingSender, so concurrent sends share one produce request (ADR 0007).
 */
export class KafkaProducer {
  private readonly producer: Producer;
  private readonly sender: CoalescingSender;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      // What idempotence allows in kafkajs; the coalescing sender is what makes it cheap.
      maxInFlightRequests: 1,
      retry: { retries: 5 },
    });
    this.sender = new CoalescingSender((topicMessages) =>
      this.producer.sendBatch({ topicMessages }),
    );
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Resolves once the broker acknowledged the produce request that carried `message`. */
  send(topic: string, message: Message): Promise<void> {
    return this.sender.send(topic, message);
  }

  /** Resolves when nothing is queued or in flight: the last handlers' replies and events are out. */
  idle(): Promise<void> {
    return this.sender.idle();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
