import { z } from 'zod';
import { ConfigError, coreConfigSchema, loadConfig, withCoreConfig } from '@mercato/config';

describe('loadConfig', () => {
  it('listens on loopback only by default and trusts no proxy', () => {
    const config = loadConfig(coreConfigSchema, {});
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.TRUST_PROXY).toBe(false);
    expect(loadConfig(coreConfigSchema, { TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig(coreConfigSchema, { TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(
      loadConfig(coreConfigSchema, { TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY,
    ).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('never prints the value of a bad secret', () => {
    const schema = withCoreConfig({ MERCATO_ADMIN_PASSWORD: z.string().min(12) });
    try {
      loadConfig(schema, { MERCATO_ADMIN_PASSWORD: 'hunter2' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain('MERCATO_ADMIN_PASSWORD');
      expect((error as ConfigError).message).not.toContain('hunter2');
    }
  });

  it('gives embedded defaults when the environment is empty', () => {
    const config = loadConfig(coreConfigSchema, {});
    expect(config.MERCATO_BUS).toBe('memory');
    expect(config.MERCATO_STORAGE).toBe('disk');
    expect(config.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(config.CREATE_TABLES).toBe(true);
  });

  it('parses lists, numbers and flags from strings', () => {
    const config = loadConfig(coreConfigSchema, {
      MERCATO_BUS: 'kafka',
      KAFKA_BROKERS: 'a:9092, b:9092',
      BUS_MAX_ATTEMPTS: '7',
      MERCATO_RESET: 'true',
    });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9092']);
    expect(config.BUS_MAX_ATTEMPTS).toBe(7);
    expect(config.MERCATO_RESET).toBe(true);
  });

  it('names every bad variable with its value in one error', () => {
    const attempt = () =>
      loadConfig(coreConfigSchema, {
        MERCATO_BUS: 'rabbit',
        BUS_PARTITIONS: '0',
        DYNAMODB_ENDPOINT: 'nope',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const { problems } = error as ConfigError;
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^MERCATO_BUS: .*\(got "rabbit"\)$/),
          expect.stringMatching(/^BUS_PARTITIONS: .*\(got "0"\)$/),
          expect.stringMatching(/^DYNAMODB_ENDPOINT: .*\(got "nope"\)$/),
        ]),
      );
    }
  });

  it('requires Kafka brokers only when the bus is Kafka', () => {
    expect(() => loadConfig(coreConfigSchema, { MERCATO_BUS: 'kafka' })).toThrow(
      /KAFKA_BROKERS: is required/,
    );
    expect(() => loadConfig(coreConfigSchema, { MERCATO_BUS: 'memory' })).not.toThrow();
  });
});
