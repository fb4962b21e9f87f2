import { DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '@mercato/persistence';
import { Kafka, logLevel } from 'kafkajs';

/**
 * The settings that give a stack data of its own on shared engines: tables, Kafka topics and
 * consumer groups, search index, shared-cache keys — all named with `prefix` (tests, benchmarks).
 */
export function isolatedStackEnv(prefix: string): Record<string, string> {
  return {
    TABLE_PREFIX: prefix,
    KAFKA_NAMESPACE: prefix,
    SEARCH_INDEX_PREFIX: prefix,
    CACHE_KEY_PREFIX: prefix,
  };
}

/** Removes what a stack started with `isolatedStackEnv(prefix)` left on the engines. */
export async function removeStackData(
  endpoints: Record<string, string>,
  prefix: string,
): Promise<void> {
  if (endpoints.DYNAMODB_ENDPOINT) {
    const { client } = createDocumentClient(endpoints.DYNAMODB_ENDPOINT, 'us-east-1');
    try {
      let start: string | undefined;
      for (let page = 0; page < 50; page++) {
        const listed = await client.send(
          new ListTablesCommand({ ExclusiveStartTableName: start, Limit: 100 }),
        );
        for (const table of (listed.TableNames ?? []).filter((name) => name.startsWith(prefix))) {
          await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
        }
        start = listed.LastEvaluatedTableName;
        if (!start) break;
      }
    } finally {
      client.destroy();
    }
  }
  if (endpoints.KAFKA_BROKERS) {
    const admin = new Kafka({
      clientId: `cleanup-${prefix}`,
      brokers: endpoints.KAFKA_BROKERS.split(','),
      connectionTimeout: 3_000,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
      if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
      const { groups } = await admin.listGroups();
      const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
      if (ours.length > 0) await admin.deleteGroups(ours).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }
  if (endpoints.OPENSEARCH_URL) {
    const search = endpoints.OPENSEARCH_URL;
    await fetch(`${search}/${prefix}products*`, { method: 'DELETE' }).catch(() => undefined);
    await fetch(`${search}/_index_template/${prefix}products-template`, { method: 'DELETE' }).catch(
      () => undefined,
    );
  }
}
