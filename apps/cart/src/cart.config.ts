import { z } from 'zod';
import { MAX_CART_QUANTITY } from '@mercato/contracts';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';
import { DAY_MS, type CartIdleTimes } from './carts/cart.model';

export const CART_STORES = ['redis', 'dynamodb'] as const;
export type CartStoreKind = (typeof CART_STORES)[number];

const idleDays = (fallback: number) => z.coerce.number().int().min(1).max(365).default(fallback);

/** The cart app's own settings, merged into the process config with `withCoreConfig`. */
export const cartConfigShape = {
  /**
   * Where carts are kept. Unset: Redis when the shared cache is Redis (the stack, whose Redis
   * runs with append-only persistence), else DynamoDB (the embedded store's dynalite on disk,
   * which survives a restart, unlike the in-process cache).
   */
  CART_STORE: z.enum(CART_STORES).optional(),
  /** Days a customer's cart may sit untouched before it expires. */
  CART_IDLE_DAYS_CUSTOMER: idleDays(30),
  /** Days a guest's cart (`X-Cart-Id`) may sit untouched before it expires. */
  CART_IDLE_DAYS_GUEST: idleDays(7),
  /** Units of one SKU a cart may hold (422 `QUANTITY_LIMIT` above it). */
  CART_MAX_QUANTITY_PER_SKU: z.coerce.number().int().min(1).max(MAX_CART_QUANTITY).default(10),
  /** Lines (distinct SKUs) a cart may hold (422 `CART_FULL` above it). */
  CART_MAX_LINES: z.coerce.number().int().min(1).max(500).default(50),
};

/** Configuration of the cart app when it runs alone. */
export const cartConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3003),
  ...cartConfigShape,
});
export type CartConfig = z.infer<typeof cartConfigSchema>;

/** What the cart store module needs, resolved from the process config. */
export type CartStoreSettings =
  | { store: 'redis'; redisUrl: string; keyPrefix: string; idle: CartIdleTimes }
  | { store: 'dynamodb'; idle: CartIdleTimes };

const storeSettingsSchema = z.object({
  ...cartConfigShape,
  MERCATO_CACHE: z.string().default('memory'),
  REDIS_URL: z.string().optional(),
  CACHE_KEY_PREFIX: z.string().default('mercato:'),
});

/**
 * The cart store settings out of the process config, defaults filled in (hosts and tests that
 * assemble a config without these variables get the documented ones). Throws when the choice
 * cannot work: CART_STORE=redis without REDIS_URL stops start-up instead of falling back.
 */
export function cartStoreSettings(config: object): CartStoreSettings {
  const parsed = storeSettingsSchema.parse(config);
  const idle = {
    guestMs: parsed.CART_IDLE_DAYS_GUEST * DAY_MS,
    customerMs: parsed.CART_IDLE_DAYS_CUSTOMER * DAY_MS,
  };
  const store: CartStoreKind =
    parsed.CART_STORE ?? (parsed.MERCATO_CACHE === 'redis' ? 'redis' : 'dynamodb');
  if (store === 'dynamodb') return { store, idle };
  if (!parsed.REDIS_URL) {
    throw new Error('CART_STORE=redis needs REDIS_URL (e.g. "redis://localhost:6379")');
  }
  return { store, redisUrl: parsed.REDIS_URL, keyPrefix: parsed.CACHE_KEY_PREFIX, idle };
}

/** The limits a cart keeps, out of the process config (defaults filled in). */
export interface CartLimits {
  maxQuantityPerSku: number;
  maxLines: number;
}

const limitsSchema = z.object({
  CART_MAX_QUANTITY_PER_SKU: cartConfigShape.CART_MAX_QUANTITY_PER_SKU,
  CART_MAX_LINES: cartConfigShape.CART_MAX_LINES,
});

export function cartLimits(config: object): CartLimits {
  const parsed = limitsSchema.parse(config);
  return { maxQuantityPerSku: parsed.CART_MAX_QUANTITY_PER_SKU, maxLines: parsed.CART_MAX_LINES };
}
