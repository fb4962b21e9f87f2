import { z } from 'zod';
import type { LifecycleTimings } from './lifecycle-work';

const MINUTE_MS = 60_000;

/** Settings of the order lifecycle (merged into the order app's config). */
export const lifecycleConfigShape = {
  /** A shipment not picked this long after it was requested is flagged and alerted (48 h). */
  ORDER_PICK_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(43_200).default(2_880),
  /**
   * An authorisation that would lapse within this many hours while something is unshipped is
   * renewed (or, when the card refuses, the unshipped lines are cancelled). One day ahead leaves
   * the sweeper (hourly by default) many chances.
   */
  ORDER_REAUTHORIZE_LEAD_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Days after delivery a customer may return units. */
  ORDER_RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /** How often the sweeper looks at open orders for time-based work and left-over steps. */
  ORDER_LIFECYCLE_SWEEP_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(3_600_000),
  /** Tries of one payment call (with exponential backoff from 200 ms) before it is flagged. */
  ORDER_PAYMENT_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
};

const lifecycleSettingsSchema = z.object(lifecycleConfigShape);
export type LifecycleSettings = z.infer<typeof lifecycleSettingsSchema>;

/** The settings out of the process config, defaults filled in. */
export const lifecycleSettings = (config: object): LifecycleSettings =>
  lifecycleSettingsSchema.parse(config);

/** The time-based rules' view of the settings. */
export const timingsOf = (settings: LifecycleSettings): LifecycleTimings => ({
  pickTimeoutMs: settings.ORDER_PICK_TIMEOUT_MINUTES * MINUTE_MS,
  reauthorizeLeadMs: settings.ORDER_REAUTHORIZE_LEAD_HOURS * 60 * MINUTE_MS,
});
