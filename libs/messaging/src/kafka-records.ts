import { randomBytes } from 'node:crypto';
import { deadLetterTopic, type Envelope } from '@mercato/contracts';
import type { IHeaders, ITopicConfig, Message } from 'kafkajs';
import type { ReplyMessage } from './bus-support';
import type { DeadLetter } from './message-bus';

/** Pure record mapping of the Kafka adapter, kept apart so it is testable without a broker. */

export const HEADER = {
  messageId: 'message-id',
  correlationId: 'correlation-id',
  type: 'message-type',
  version: 'message-version',
  replyTo: 'reply-to',
  requestId: 'request-id',
} as const;

/** Headers every record carries, so tools can route and trace without parsing the value. */
export function envelopeHeaders(envelope: Envelope, extra: Record<string, string> = {}): IHeaders {
  return {
    [HEADER.messageId]: envelope.id,
    [HEADER.correlationId]: envelope.correlationId,
    [HEADER.type]: envelope.type,
    [HEADER.version]: String(envelope.version),
    ...extra,
  };
}

/** Flattens kafkajs headers (Buffer | string | arrays of them) to strings; the first value wins. */
export function readHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined)
      result[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return result;
}

export function envelopeRecord(
  envelope: Envelope,
  extraHeaders: Record<string, string> = {},
): Message {
  return {
    key: envelope.key,
    value: JSON.stringify(envelope),
    headers: envelopeHeaders(envelope, extraHeaders),
  };
}

/** A reply, sent to the caller's reply topic: keyed and headed by the request's id. */
export function replyRecord(requestId: string, reply: ReplyMessage): Message {
  return {
    key: requestId,
    value: JSON.stringify(reply),
    headers: { [HEADER.requestId]: requestId },
  };
}

/**
 * The record sent to `<topic>.dlq`: the DeadLetter as value, the original key (so dead letters of
 * one aggregate stay in order) and the original headers plus the failure's context.
 */
export function deadLetterRecord(
  letter: DeadLetter,
  key: string | null,
  originalHeaders: Record<string, string>,
): { topic: string; message: Message } {
  return {
    topic: deadLetterTopic(letter.topic),
    message: {
      key,
      value: JSON.stringify(letter),
      headers: {
        ...originalHeaders,
        'dlq-original-topic': letter.topic,
        'dlq-group': letter.group,
        'dlq-attempts': String(letter.attempts),
      },
    },
  };
}

/** Topics created up front: every contract topic with its dead-letter twin, N partitions each. */
export function topicConfigs(
  topics: Iterable<string>,
  partitions: number,
  replicationFactor = -1,
): ITopicConfig[] {
  const names = new Set<string>();
  for (const topic of topics) names.add(topic).add(deadLetterTopic(topic));
  return [...names]
    .sort()
    .map((topic) => ({ topic, numPartitions: partitions, replicationFactor }));
}

/** One reply topic per process instance: `mercato.replies.<clientId>.<random>`. */
export function replyTopicName(clientId: string): string {
  const safeClientId = clientId.replace(/[^A-Za-z0-9._-]/g, '-');
  return `mercato.replies.${safeClientId}.${randomBytes(6).toString('hex')}`;
}

/** The health detail of a bus that cannot connect: what it tried to reach and why it failed. */
export function unreachableDetail(brokers: readonly string[], reason: string): string {
  return `cannot reach Kafka at ${brokers.join(',')}: ${reason}`;
}
