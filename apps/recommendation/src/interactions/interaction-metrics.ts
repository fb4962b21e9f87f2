import { TallyCounter, type Tally } from '@mercato/observability';
import type { InteractionView } from './interactions.rules';

export const INTERACTIONS_METRIC = 'mercato_interactions_total';
export const INTERACTIONS_DROPPED_METRIC = 'mercato_interactions_dropped_total';

export type DropReason = 'rate';

export interface InteractionMetrics {
  stored(view: Pick<InteractionView, 'type' | 'source'>): Tally;
  dropped(reason: DropReason): Tally;
}

let metrics: InteractionMetrics | undefined;

/**
 * The interaction stream's counters in prom-client's default registry (served at /metrics),
 * made once per process however many modules are created (the store, tests).
 */
export function interactionMetrics(): InteractionMetrics {
  if (metrics) return metrics;
  const stored = new TallyCounter({
    name: INTERACTIONS_METRIC,
    help: 'Interactions stored in shoppers’ histories, by type and source (client, cart, order)',
    labelNames: ['type', 'source'] as const,
  });
  const dropped = new TallyCounter({
    name: INTERACTIONS_DROPPED_METRIC,
    help: 'Interactions not stored, by reason (rate: over the per-shopper cap of a minute)',
    labelNames: ['reason'] as const,
  });
  metrics = {
    stored: ({ type, source }) => stored.tally({ type, source }),
    dropped: (reason) => dropped.tally({ reason }),
  };
  return metrics;
}
