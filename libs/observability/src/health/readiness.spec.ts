import { Logger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { HealthRegistry } from './health-registry';
import { OperationsModule } from './operations.module';
import { withoutAddresses } from './without-addresses';

describe('withoutAddresses', () => {
  it.each([
    ['cannot reach Kafka at k1:9092,k2:9092: ECONNREFUSED', 'cannot reach Kafka: ECONNREFUSED'],
    [
      'cannot reach Redis at redis://127.0.0.1:6379: connect ECONNREFUSED 127.0.0.1:6379',
      'cannot reach Redis: connect ECONNREFUSED',
    ],
    [
      'Redis 7.2.4 at rediss://:***@cache.abc.use1.cache.amazonaws.com:6379 (+ local LRU, 3 entries)',
      'Redis 7.2.4 (+ local LRU, 3 entries)',
    ],
    [
      'DynamoDB at http://127.0.0.1:41234: table mercato-products ACTIVE',
      'DynamoDB: table mercato-products ACTIVE',
    ],
    [
      'cannot reach DynamoDB at http://dynamo:8000: getaddrinfo ENOTFOUND dynamo',
      'cannot reach DynamoDB: getaddrinfo ENOTFOUND',
    ],
    [
      'cannot reach OpenSearch at https://search-x.us-east-1.es.amazonaws.com: connect ETIMEDOUT 10.1.2.3:443',
      'cannot reach OpenSearch: connect ETIMEDOUT',
    ],
    ['connected to Kafka at localhost:9092', 'connected to Kafka'],
    [
      'cannot reach Kafka at [::1]:9092: connect ECONNREFUSED ::1:9092',
      'cannot reach Kafka: connect ECONNREFUSED',
    ],
    ['Redis client for redis://localhost:6379 is closed', 'Redis client is closed'],
    ['in-memory bus, 12 topics, 30 subscriptions', 'in-memory bus, 12 topics, 30 subscriptions'],
    ['messaging did not answer within 2000 ms', 'messaging did not answer within 2000 ms'],
  ])('%s → %s', (detail, expected) => {
    expect(withoutAddresses(detail)).toBe(expected);
  });
});

describe('GET /health/ready', () => {
  let app: NestFastifyApplication;
  const warnings: string[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
    const moduleRef = await Test.createTestingModule({ imports: [OperationsModule] }).compile();
    const registry = moduleRef.get(HealthRegistry);
    registry.register('messaging', async () => ({
      up: false,
      detail: 'cannot reach Kafka at kafka-1.internal:9092: connect ECONNREFUSED 10.0.0.5:9092',
    }));
    registry.register('dynamodb', async () => ({
      up: true,
      detail: 'DynamoDB at http://10.0.0.6:8000: table mercato-products ACTIVE',
    }));
    registry.register('cache', async () => {
      throw new Error('connect ETIMEDOUT redis.internal:6379');
    });
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app.close();
  });

  it('names the failing dependencies and why, without their addresses', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body.error).toEqual({
      messaging: { status: 'down', detail: 'cannot reach Kafka: connect ECONNREFUSED' },
      cache: { status: 'down', detail: 'cache: connect ETIMEDOUT' },
    });
    expect(body.info.dynamodb).toEqual({
      status: 'up',
      detail: 'DynamoDB: table mercato-products ACTIVE',
    });
    expect(res.body).not.toMatch(/internal|10\.0\.0|:\/\/|:\d{2,5}\b/);
  });

  it('logs the full detail once per change, for the operator', async () => {
    await app.inject({ method: 'GET', url: '/health/ready' });
    const kafka = warnings.filter((line) => line.includes('kafka-1.internal:9092'));
    expect(kafka).toEqual([
      'messaging is not ready: cannot reach Kafka at kafka-1.internal:9092: connect ECONNREFUSED 10.0.0.5:9092',
    ]);
  });
});
