import type { Envelope } from '@mercato/contracts';
import {
  deadLetterRecord,
  envelopeHeaders,
  envelopeRecord,
  readHeaders,
  replyTopicName,
  topicConfigs,
  unreachableDetail,
} from './kafka-records';

const envelope: Envelope<{ productId: string }> = {
  id: 'msg-1',
  type: 'catalog.product.changed',
  version: 2,
  occurredAt: '2025-01-01T00:00:00.000Z',
  key: 'p-1',
  correlationId: 'corr-1',
  causationId: null,
  data: { productId: 'p-1' },
};

describe('Kafka record mapping', () => {
  it('keys a record by the envelope key and carries id, correlation id, type and version in headers', () => {
    const record = envelopeRecord(envelope, {
      'reply-to': 'mercato.replies.x',
      'request-id': 'msg-1',
    });

    expect(record.key).toBe('p-1');
    expect(JSON.parse(record.value as string)).toEqual(envelope);
    expect(record.headers).toEqual({
      'message-id': 'msg-1',
      'correlation-id': 'corr-1',
      'message-type': 'catalog.product.changed',
      'message-version': '2',
      'reply-to': 'mercato.replies.x',
      'request-id': 'msg-1',
    });
  });

  it('reads kafkajs headers (buffers, strings, arrays) back as strings', () => {
    const headers = readHeaders({
      ...envelopeHeaders(envelope),
      'correlation-id': Buffer.from('corr-1'),
      repeated: [Buffer.from('first'), 'second'],
      absent: undefined,
    });

    expect(headers).toEqual({
      'message-id': 'msg-1',
      'correlation-id': 'corr-1',
      'message-type': 'catalog.product.changed',
      'message-version': '2',
      repeated: 'first',
    });
    expect(readHeaders(undefined)).toEqual({});
  });

  it('builds a dead-letter record for <topic>.dlq with the original key, headers and failure context', () => {
    const letter = {
      topic: 'catalog.product.changed.v2',
      group: 'search',
      attempts: 5,
      reason: 'handler failed on attempt 5 of 5: Error: boom',
      failedAt: '2025-01-01T00:00:01.000Z',
      message: envelope,
    };

    const { topic, message } = deadLetterRecord(letter, 'p-1', { 'correlation-id': 'corr-1' });

    expect(topic).toBe('catalog.product.changed.v2.dlq');
    expect(message.key).toBe('p-1');
    expect(JSON.parse(message.value as string)).toEqual(letter);
    expect(message.headers).toEqual({
      'correlation-id': 'corr-1',
      'dlq-original-topic': 'catalog.product.changed.v2',
      'dlq-group': 'search',
      'dlq-attempts': '5',
    });
  });

  it('creates every topic with its dead-letter twin, with the configured partitions, once each', () => {
    const configs = topicConfigs(['b.topic.v1', 'a.topic.v1', 'b.topic.v1'], 6);

    expect(configs).toEqual([
      { topic: 'a.topic.v1', numPartitions: 6, replicationFactor: -1 },
      { topic: 'a.topic.v1.dlq', numPartitions: 6, replicationFactor: -1 },
      { topic: 'b.topic.v1', numPartitions: 6, replicationFactor: -1 },
      { topic: 'b.topic.v1.dlq', numPartitions: 6, replicationFactor: -1 },
    ]);
  });

  it('names a reply topic per process instance after the client id', () => {
    const first = replyTopicName('catalog service');
    const second = replyTopicName('catalog service');

    expect(first).toMatch(/^mercato\.replies\.catalog-service\.[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
  });

  it('says which brokers it cannot reach and why', () => {
    expect(unreachableDetail(['k1:9092', 'k2:9092'], 'ECONNREFUSED')).toBe(
      'cannot reach Kafka at k1:9092,k2:9092: ECONNREFUSED',
    );
  });
});
