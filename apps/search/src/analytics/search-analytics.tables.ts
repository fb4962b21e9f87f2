import type { TableDefinition } from '@mercato/persistence';

/**
 * Search counts per UTC day and query: PK `day` (YYYY-MM-DD), SK `query` (normalised), with
 * `searches`, `zeroResults`, `clicks`, `cartAdds` (all written with ADD, so replicas add up)
 * and `expiresAt` (epoch seconds, the TTL attribute: SEARCH_ANALYTICS_RETENTION_DAYS after
 * the day). Insights read one partition per day.
 */
export const SEARCH_QUERY_STATS_TABLE: TableDefinition = {
  name: 'search-query-stats',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'day', AttributeType: 'S' },
    { AttributeName: 'query', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'day', KeyType: 'HASH' },
    { AttributeName: 'query', KeyType: 'RANGE' },
  ],
};

/**
 * Once-only markers of search feedback: PK `feedbackKey` (a digest of query id, product and
 * type), `expiresAt` (epoch seconds, the TTL attribute) a day past the feedback window. A table
 * of its own, so the TTL and the markers' volume never touch the stats partitions.
 */
export const SEARCH_FEEDBACK_TABLE: TableDefinition = {
  name: 'search-feedback',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'feedbackKey', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'feedbackKey', KeyType: 'HASH' }],
};

/**
 * The search app's tables (registered by `SearchAnalyticsModule`; exported for
 * infrastructure, which enables TTL on `expiresAt` of both: the definition has no TTL field).
 */
export const SEARCH_ANALYTICS_TABLES: readonly TableDefinition[] = [
  SEARCH_QUERY_STATS_TABLE,
  SEARCH_FEEDBACK_TABLE,
];
