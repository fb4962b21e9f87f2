import { z } from 'zod';

/**
 * Interaction stream settings; merged into the recommendation app's config
 * (docs/recommendations.md, "Interaction stream").
 */
export const interactionsConfigShape = {
  /** Days an interaction is kept (the `expiresAt` TTL of its item). */
  INTERACTION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(180),
  /**
   * Events one shopper may have stored per minute; the rest are dropped (a bot must not move
   * the models). 120 is two a second, well above a person clicking through a shop.
   */
  RECOMMENDATION_MAX_EVENTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
};

const interactionsConfigSchema = z.object(interactionsConfigShape);

export interface InteractionsSettings {
  readonly retentionDays: number;
  readonly maxEventsPerMinute: number;
}

/** The interaction stream's settings out of the process config (defaults for those it lacks). */
export function interactionsSettings(config: object = {}): InteractionsSettings {
  const parsed = interactionsConfigSchema.parse(config);
  return {
    retentionDays: parsed.INTERACTION_RETENTION_DAYS,
    maxEventsPerMinute: parsed.RECOMMENDATION_MAX_EVENTS_PER_MINUTE,
  };
}
