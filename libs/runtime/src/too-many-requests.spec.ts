import {
  Controller,
  Get,
  HttpException,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ProblemDetailsFilter } from './problem-details.filter';
import { listeningUrl } from './run-service';
import { TooManyRequestsException, retryAfterOf } from './too-many-requests';

@Controller()
class Throwing {
  @Get('throttled')
  throttled(): never {
    throw new TooManyRequestsException('Slow down; try again in 42 s.', 41.2);
  }
  @Get('plain-429')
  plain(): never {
    throw new HttpException('Too many', 429);
  }
  @Get('unavailable')
  unavailable(): never {
    throw new ServiceUnavailableException('Down');
  }
}

describe('Retry-After on 429 and 503 problems', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    const moduleRef = await Test.createTestingModule({
      controllers: [Throwing],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('carries the wait a TooManyRequestsException names, rounded up, and its code', async () => {
    const res = await app.inject({ method: 'GET', url: '/throttled' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('42');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
    expect(res.json()).not.toHaveProperty('retryAfterSeconds');
  });

  it('falls back to 1 second for a 429 or 503 that names no wait', async () => {
    for (const url of ['/plain-429', '/unavailable']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['retry-after']).toBe('1');
    }
  });

  it('reads the wait only from a positive number', () => {
    expect(retryAfterOf(new TooManyRequestsException('x', 0.2))).toBe(1);
    expect(retryAfterOf(new HttpException({ retryAfterSeconds: -3 }, 429))).toBeUndefined();
    expect(retryAfterOf(new HttpException({ retryAfterSeconds: '9' }, 429))).toBeUndefined();
    expect(retryAfterOf(new Error('x'))).toBeUndefined();
  });
});

describe('listeningUrl', () => {
  it('names the address the server really listens on', () => {
    expect(listeningUrl({ address: '127.0.0.1', family: 'IPv4', port: 3000 })).toBe(
      'http://127.0.0.1:3000',
    );
    expect(listeningUrl({ address: '0.0.0.0', family: 'IPv4', port: 80 })).toBe(
      'http://0.0.0.0:80',
    );
    expect(listeningUrl({ address: '::1', family: 'IPv6', port: 3000 })).toBe('http://[::1]:3000');
  });
});
