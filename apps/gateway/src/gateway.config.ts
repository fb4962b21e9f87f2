import { z } from 'zod';
import { booleanFlag, portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';

const seconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

/** Settings of the gateway: the public API, identity and the local JWT issuer. */
export const gatewayConfigShape = {
  MERCATO_ADMIN_EMAIL: z.email().default('admin@mercato.local'),
  /**
   * The admin's password when the account is created (or reset). Unset: the first start
   * generates a random one and prints it once; only its hash is stored.
   */
  MERCATO_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /**
   * Sets the existing admin account's password at start-up (to MERCATO_ADMIN_PASSWORD, or to a
   * new generated one printed once) and ends its sessions. Start once with it, then remove it.
   */
  MERCATO_ADMIN_RESET: booleanFlag,
  JWT_ISSUER: z.string().min(1).default('mercato'),
  JWT_AUDIENCE: z.string().min(1).default('mercato-api'),
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  JWT_REFRESH_TTL_SECONDS: z.coerce.number().int().min(3_600).max(31_536_000).default(2_592_000),

  /** Failed sign-ins of one account before each further attempt waits (429 + Retry-After). */
  AUTH_LOGIN_DELAY_AFTER_FAILURES: count(5),
  /** The first wait, doubled at each further failure. */
  AUTH_LOGIN_DELAY_SECONDS: seconds(1, 3_600, 1),
  /** Failed sign-ins of one account that lock it for AUTH_LOGIN_LOCK_SECONDS. */
  AUTH_LOGIN_LOCK_AFTER_FAILURES: count(10),
  AUTH_LOGIN_LOCK_SECONDS: seconds(1, 86_400, 900),
  /** How long an account's failures are remembered, from the first one (a success forgets them). */
  AUTH_LOGIN_FAILURE_WINDOW_SECONDS: seconds(1, 604_800, 3_600),
  /** Sign-in attempts one client address may make per window, whatever the accounts. */
  AUTH_LOGIN_IP_LIMIT: count(20),
  AUTH_LOGIN_IP_WINDOW_SECONDS: seconds(1, 86_400, 60),
  /** Registrations one client address may make per window. */
  AUTH_REGISTER_IP_LIMIT: count(10),
  AUTH_REGISTER_IP_WINDOW_SECONDS: seconds(1, 86_400, 600),
};

/** Configuration of the gateway when it runs alone, in front of the other apps on Kafka. */
export const gatewayConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3000),
  ...gatewayConfigShape,
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
