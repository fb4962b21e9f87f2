import { z } from 'zod';

/** An on/off environment variable: `true`/`1`/`yes` or `false`/`0`/`no` (default off). */
export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** redis:// or rediss:// (TLS, as ElastiCache with encryption in transit needs). */
const redisUrl = z.url({
  protocol: /^rediss?$/,
  error: 'must be a redis:// or rediss:// URL (e.g. "redis://localhost:6379")',
});

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/**
 * Settings every app shares: which adapters to use and where the engines are.
 * Apps add their own fields with `withCoreConfig({...})`.
 */
export const coreConfigShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Log one line per HTTP request. Off by default: the hot path stays free of synchronous I/O. */
  LOG_REQUESTS: booleanFlag,
  /**
   * Interface the HTTP server listens on: loopback only unless set (a container sets `0.0.0.0`,
   * as docker/Dockerfile does, to be reachable from outside).
   */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Which proxies may name the client in `X-Forwarded-For` (the address that per-IP rate limits
   * count): `false` (default: the peer of the TCP connection is the client, the header is
   * ignored), `true` (trust every hop: only behind a proxy that overwrites the header), a number
   * of hops, or a comma-separated list of proxy addresses or CIDR ranges.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value): boolean | number | string[] => {
      const v = value.trim();
      if (v === 'false' || v === '') return false;
      if (v === 'true') return true;
      if (/^\d+$/.test(v)) return Number(v);
      return v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    }),

  MERCATO_BUS: z.enum(['memory', 'kafka']).default('memory'),
  KAFKA_BROKERS: csv.optional(),
  KAFKA_CLIENT_ID: z.string().default('mercato'),
  /** Prefix of every topic and consumer group, so several stores can share one Kafka cluster. */
  KAFKA_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  BUS_PARTITIONS: z.coerce.number().int().min(1).max(64).default(3),
  BUS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  BUS_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(60_000).default(100),
  BUS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
  /** Kafka group session timeout: how soon a crashed member's partitions move to the others. */
  BUS_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(10_000),
  /** Keys a consumer handles at once per partition; one key's messages stay one at a time. */
  BUS_KEY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),

  /** Cache and cart store: `memory` in this process only, `redis` shared by every process. */
  MERCATO_CACHE: z.enum(['memory', 'redis']).default('memory'),
  REDIS_URL: redisUrl.optional(),
  /** Prepended to every shared-cache key: stores sharing one Redis keep apart. */
  CACHE_KEY_PREFIX: z.string().max(64).default('mercato:'),

  /** Product search: `embedded` (Orama in this process) or `opensearch` (shared cluster). */
  MERCATO_SEARCH: z.enum(['embedded', 'opensearch']).default('embedded'),
  OPENSEARCH_URL: z.url().optional(),
  /** Prefix of index and template names (`<prefix>products`). */
  SEARCH_INDEX_PREFIX: z
    .string()
    .regex(/^([a-z0-9][a-z0-9_.-]*)?$/, 'lower-case letters, digits, "_", "." and "-" only')
    .default('mercato-'),

  MERCATO_DATA_DIR: z.string().default('.data'),
  /** Unset: an embedded dynalite is started in-process. Set: the DynamoDB API at this URL. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Embedded dynalite only: `disk` keeps data under MERCATO_DATA_DIR, `memory` forgets it on exit. */
  MERCATO_STORAGE: z.enum(['disk', 'memory']).default('disk'),
  /** Embedded dynalite only: delete the stored tables before starting. */
  MERCATO_RESET: booleanFlag,
  AWS_REGION: z.string().default('us-east-1'),
  TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]*$/)
    .default('mercato-'),
  /** Create missing tables at start-up (embedded and local engines; off on AWS where CDK owns them). */
  CREATE_TABLES: booleanFlag.default(true),
};

export type CoreConfigShape = typeof coreConfigShape;

const coreRules = (config: Record<string, unknown>, ctx: z.RefinementCtx): void => {
  const brokers = config.KAFKA_BROKERS as string[] | undefined;
  if (config.MERCATO_BUS === 'kafka' && !brokers?.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['KAFKA_BROKERS'],
      message: 'is required when MERCATO_BUS=kafka (e.g. "localhost:9092")',
    });
  }
  if (config.MERCATO_CACHE === 'redis' && !config.REDIS_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: 'is required when MERCATO_CACHE=redis (e.g. "redis://localhost:6379")',
    });
  }
  if (config.MERCATO_SEARCH === 'opensearch' && !config.OPENSEARCH_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['OPENSEARCH_URL'],
      message: 'is required when MERCATO_SEARCH=opensearch (e.g. "http://localhost:9200")',
    });
  }
};

/** Builds an app's config schema from the shared core plus the app's own fields. */
export function withCoreConfig<T extends z.ZodRawShape>(appShape: T) {
  return z
    .object({ ...coreConfigShape, ...appShape })
    .superRefine((config, ctx) => coreRules(config as Record<string, unknown>, ctx));
}

export const coreConfigSchema = withCoreConfig({});
export type CoreConfig = z.infer<typeof coreConfigSchema>;

/**
 * Defaults of an app started alone (`npm run start:<app>`): it can only reach the other apps
 * through Kafka and shares tables through a DynamoDB server, so those become the defaults
 * (the local engines' usual addresses). The all-in-one store keeps the embedded defaults.
 */
export const standaloneConfigShape = {
  MERCATO_BUS: coreConfigShape.MERCATO_BUS.removeDefault().default('kafka'),
  KAFKA_BROKERS: csv.default(['localhost:9092']),
  DYNAMODB_ENDPOINT: z.url().default('http://localhost:8000'),
  MERCATO_SEARCH: coreConfigShape.MERCATO_SEARCH.removeDefault().default('opensearch'),
  OPENSEARCH_URL: z.url().default('http://localhost:9200'),
  MERCATO_CACHE: coreConfigShape.MERCATO_CACHE.removeDefault().default('redis'),
  REDIS_URL: redisUrl.default('redis://localhost:6379'),
};

export const portShape = (defaultPort: number) => ({
  PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
});
