import { z } from 'zod';

/** Search analytics settings; merged into the search app's config (`searchConfigShape`). */
export const searchAnalyticsConfigShape = {
  /**
   * How often the in-memory search counts are written to DynamoDB (and at shutdown). A crash
   * loses at most this much of the counts; shorter means more writes per distinct query.
   */
  SEARCH_ANALYTICS_FLUSH_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  /** Days the per-day query counts are kept (their `expiresAt`); insights reach back 90 at most. */
  SEARCH_ANALYTICS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
  /**
   * Days after a search during which its clicks and cart adds still count; the once-only
   * markers of feedback live one day longer, so a repeat inside the window always finds them.
   */
  SEARCH_FEEDBACK_DAYS: z.coerce.number().int().min(1).max(30).default(3),
};

const searchAnalyticsSettingsSchema = z.object(searchAnalyticsConfigShape);
export type SearchAnalyticsSettings = z.infer<typeof searchAnalyticsSettingsSchema>;

/** The analytics settings out of the process config, defaults filled in. */
export function searchAnalyticsSettings(config: object): SearchAnalyticsSettings {
  return searchAnalyticsSettingsSchema.parse(config);
}
