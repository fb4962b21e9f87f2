import type { KafkaMessage } from 'kafkajs';
import type { BusLogger } from './bus-support';
import { HEADER, deadLetterRecord, readHeaders, replyRecord } from './kafka-records';
import type { KafkaProducer } from './kafka-producer';
import type { RecordProcessor } from './message-delivery';

/** What a record handler may ask of the consumer while it handles a record. */
export interface RecordContext {
  /** Tells the group this member is alive (throttled by kafkajs); for long retry waits. */
  heartbeat: () => Promise<void>;
  /**
   * Work the record's offset waits for but the next record of its key does not: a request's
   * reply on its way to the broker (ADR 0010). If it fails, the offset stays before the record.
   */
  settleLater: (work: Promise<unknown>) => void;
}

/** Handles one record of a topic for one group; throws only to leave the offset uncommitted. */
export type KafkaRecordHandler = (message: KafkaMessage, context: RecordContext) => Promise<void>;

/** Thrown out of a handler loop when the bus closes during a retry wait: the offset stays put. */
export class ClosingError extends Error {
  constructor() {
    super('The bus is closing; the message will be redelivered after restart');
  }
}

/**
 * Runs the shared delivery logic (message-delivery.ts) on a Kafka record: dead letters go to the
 * physical `.dlq` topic with the original key and headers, a request's reply to the caller's
 * reply topic, and the consumer heartbeats before each retry wait.
 */
export function kafkaRecordHandler(
  processor: RecordProcessor,
  logicalTopic: string,
  deps: { producer: KafkaProducer; physical: (name: string) => string; logger: BusLogger },
): KafkaRecordHandler {
  const { producer, physical, logger } = deps;
  return async (message, { heartbeat, settleLater }) => {
    const verdict = await processor({
      value: message.value?.toString('utf8') ?? '',
      sendDeadLetter: async (letter) => {
        const { topic, message: record } = deadLetterRecord(
          letter,
          message.key?.toString('utf8') ?? null,
          readHeaders(message.headers),
        );
        await producer.send(physical(topic), record);
      },
      sendReply: (reply) => {
        const headers = readHeaders(message.headers);
        const replyTo = headers[HEADER.replyTo];
        const requestId = headers[HEADER.requestId];
        if (!replyTo || !requestId) {
          logger.warn(
            `Request on ${logicalTopic} without ${HEADER.replyTo}/${HEADER.requestId}; no reply sent`,
          );
          return;
        }
        // The next request of this key need not wait for the broker's ack of this reply (measured:
        // a hot SKU's reservations, all one key, were bound by the reply's produce round trip), but
        // the offset does: a reply that never reached the broker leaves its request to be redelivered.
        settleLater(producer.send(replyTo, replyRecord(requestId, reply)));
      },
      beforeRetryWait: heartbeat,
    });
    if (verdict === 'aborted') throw new ClosingError();
  };
}
