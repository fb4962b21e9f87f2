import { z } from 'zod';

/** Settings of the embedded payment provider (merged into the order app's config shape). */
export const paymentsConfigShape = {
  /**
   * How long `tok_slow` takes to answer. The default (10 s) is longer than a checkout client is
   * expected to wait, so the caller's timeout and retry-with-the-same-key path get exercised.
   */
  PAYMENT_SLOW_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Days an uncaptured authorisation holds the funds (card networks commonly allow about 7). */
  PAYMENT_AUTHORIZATION_DAYS: z.coerce.number().int().min(1).max(30).default(7),
};
export type PaymentsConfig = z.infer<z.ZodObject<typeof paymentsConfigShape>>;

const paymentsConfigSchema = z.object(paymentsConfigShape);

/** The payment settings out of the process config, defaults filled in for hosts that lack them. */
export function paymentsConfig(config: object): PaymentsConfig {
  return paymentsConfigSchema.parse(config);
}
