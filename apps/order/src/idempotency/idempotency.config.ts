import { z } from 'zod';

/** Idempotency-Key settings of the checkout; merged into the order app's config. */
export const idempotencyConfigShape = {
  /** How long a key is remembered (Stripe keeps them 24 h). */
  IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().positive().max(720).default(24),
  /**
   * How long a running request holds its key before another request with the same body may take
   * it over: above a checkout's longest normal run (payment provider timeouts are ~10–20 s), so a
   * live request is not taken over, and short enough that a client retrying after a crash of
   * the first attempt waits seconds, not the whole retention.
   */
  IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().positive().max(3_600).default(30),
};

const idempotencyConfigSchema = z.object(idempotencyConfigShape);
export type IdempotencyConfig = z.infer<typeof idempotencyConfigSchema>;

/** The idempotency settings out of the process config (defaults for those it lacks). */
export function idempotencyConfig(config: object): IdempotencyConfig {
  return idempotencyConfigSchema.parse(config);
}
