import { z } from 'zod';

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
   * it over. Not longer than the idempotency lease (IDEMPOTENCY_LEASE_SECONDS, 30 s): a client
   * retry may take the key over once that lease runs out, and should then find the orphaned
   * saga already claimable by recovery rather than left alone for longer.
   */
  ORDER_CHECKOUT_LEASE_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
};

const checkoutSettingsSchema = z.object(checkoutConfigShape);
export type CheckoutSettings = z.infer<typeof checkoutSettingsSchema>;

/** The checkout settings out of the process config, defaults filled in. */
export const checkoutSettings = (config: object): CheckoutSettings =>
  checkoutSettingsSchema.parse(config);

/** A day: the reservation TTL of an order on hold for the fraud review (inventory's cap). */
export const REVIEW_RESERVATION_TTL_SECONDS = 86_400;
