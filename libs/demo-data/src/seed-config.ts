import { z } from 'zod';

/**
 * Settings of the demo data load, shared by every service that seeds from the generator (catalog
 * and inventory must agree on them, so they read the same variables).
 */
export const demoSeedConfigShape = {
  /** Load the demo data on first start (when a service's seed marker is missing). */
  MERCATO_SEED: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default('true')
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  /** Number of demo products to generate. */
  MERCATO_SEED_PRODUCTS: z.coerce.number().int().min(0).max(1_000_000).default(5_000),
  /** Seed of the generator: the same value gives the same catalog and stock in every process. */
  MERCATO_SEED_RANDOM: z.coerce.number().int().min(0).max(4_294_967_295).default(42),
};

export interface DemoSeedConfig {
  MERCATO_SEED: boolean;
  MERCATO_SEED_PRODUCTS: number;
  MERCATO_SEED_RANDOM: number;
}
