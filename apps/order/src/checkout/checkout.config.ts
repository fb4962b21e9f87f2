import { z } from 'zod';
import { idempotencyConfig } from '../idempotency/idempotency.config';

/** Settings of checkout and its recovery job; merged into the order app's config. */
export const checkoutConfigShape = {
  /**
   * How long a checkout's stock holds last (inventory's cap is 86,400). Fifteen minutes covers
   * a checkout many times over; a confirmed order commits its holds at once, and a held order
   * (fraud review) gets a day instead, so its hold outlives the admin's review.
   */
  ORDER_RESERVATION_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** How often the recovery job looks for checkouts whose process stopped driving them. */
  ORDER_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  /**
   * How long a running checkout holds its saga (renewed at every step) before recovery may take
   * it over. Not longer than the idempotency lease (IDEMPOTENCY_LEASE_SECONDS, 30 s): once the
   * key's lease runs out a client retry takes the key, finds the saga still open and is told
   * 409 "retry later" until recovery settles it; a checkout lease longer than the key's would
   * make an orphaned saga wait for recovery longer than its client is told to wait.
   */
  ORDER_CHECKOUT_LEASE_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
};

const checkoutSettingsSchema = z.object(checkoutConfigShape);
export type CheckoutSettings = z.infer<typeof checkoutSettingsSchema>;

/**
 * The checkout settings out of the process config, defaults filled in. Throws when the checkout
 * lease outlasts the idempotency lease (see ORDER_CHECKOUT_LEASE_MS).
 */
export function checkoutSettings(config: object): CheckoutSettings {
  const settings = checkoutSettingsSchema.parse(config);
  const keyLeaseMs = idempotencyConfig(config).IDEMPOTENCY_LEASE_SECONDS * 1000;
  if (settings.ORDER_CHECKOUT_LEASE_MS > keyLeaseMs) {
    throw new Error(
      `ORDER_CHECKOUT_LEASE_MS (${settings.ORDER_CHECKOUT_LEASE_MS}) must not exceed IDEMPOTENCY_LEASE_SECONDS (${keyLeaseMs / 1000} s)`,
    );
  }
  return settings;
}

/** A day: the reservation TTL of an order on hold for the fraud review (inventory's cap). */
export const REVIEW_RESERVATION_TTL_SECONDS = 86_400;
