import {
  DeleteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { putIfAbsent, TableNames } from '@mercato/persistence';
import { SEARCH_FEEDBACK_TABLE, SEARCH_QUERY_STATS_TABLE } from './search-analytics.tables';

/** The counters of one (day, query) item; each is added, never set. */
export interface QueryCounts {
  searches?: number;
  zeroResults?: number;
  clicks?: number;
  cartAdds?: number;
}

/** One stored (day, query) item. */
export interface QueryStatsRow {
  day: string;
  query: string;
  searches: number;
  zeroResults: number;
  clicks: number;
  cartAdds: number;
}

const COUNTERS = ['searches', 'zeroResults', 'clicks', 'cartAdds'] as const;

/** All DynamoDB I/O of search analytics (tables in `search-analytics.tables.ts`). */
@Injectable()
export class SearchAnalyticsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /**
   * Adds `counts` to the (day, query) item, creating it at zero; `expiresAt` (epoch seconds)
   * is written by whichever write comes first and kept.
   */
  async addCounts(
    day: string,
    query: string,
    counts: QueryCounts,
    expiresAt: number,
  ): Promise<void> {
    const added = COUNTERS.filter((name) => (counts[name] ?? 0) !== 0);
    if (added.length === 0) return;
    const values: Record<string, number> = { ':expiresAt': expiresAt };
    const names: Record<string, string> = { '#expiresAt': 'expiresAt' };
    for (const name of added) {
      values[`:${name}`] = counts[name]!;
      names[`#${name}`] = name;
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.of(SEARCH_QUERY_STATS_TABLE),
        Key: { day, query },
        UpdateExpression:
          `ADD ${added.map((name) => `#${name} :${name}`).join(', ')} ` +
          'SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Every query counted on UTC day `day`. */
  async statsOfDay(day: string): Promise<QueryStatsRow[]> {
    const rows: QueryStatsRow[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.of(SEARCH_QUERY_STATS_TABLE),
          KeyConditionExpression: '#day = :day',
          ExpressionAttributeNames: { '#day': 'day' },
          ExpressionAttributeValues: { ':day': day },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        rows.push({
          day: item.day as string,
          query: item.query as string,
          searches: (item.searches as number | undefined) ?? 0,
          zeroResults: (item.zeroResults as number | undefined) ?? 0,
          clicks: (item.clicks as number | undefined) ?? 0,
          cartAdds: (item.cartAdds as number | undefined) ?? 0,
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  /** Writes the marker `feedbackKey` unless it exists: true when this call wrote it. */
  claimFeedback(feedbackKey: string, expiresAt: number): Promise<boolean> {
    return putIfAbsent(this.doc, this.tables.of(SEARCH_FEEDBACK_TABLE), 'feedbackKey', {
      feedbackKey,
      expiresAt,
    });
  }

  /** Removes the marker `feedbackKey`, so the same feedback may be counted again. */
  async releaseFeedback(feedbackKey: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.tables.of(SEARCH_FEEDBACK_TABLE), Key: { feedbackKey } }),
    );
  }
}
