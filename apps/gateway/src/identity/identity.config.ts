import type { GatewayConfig } from '../gateway.config';

/** The part of the gateway's validated config that identity reads (inject with `@InjectConfig()`). */
export type IdentityConfig = Pick<
  GatewayConfig,
  | 'MERCATO_ADMIN_EMAIL'
  | 'MERCATO_ADMIN_PASSWORD'
  | 'MERCATO_ADMIN_RESET'
  | 'JWT_ISSUER'
  | 'JWT_AUDIENCE'
  | 'JWT_ACCESS_TTL_SECONDS'
  | 'JWT_REFRESH_TTL_SECONDS'
  | 'MERCATO_DATA_DIR'
  | 'MERCATO_STORAGE'
>;

/** The sign-in and registration throttle's settings (see `AuthThrottle`). */
export type AuthThrottleConfig = Pick<
  GatewayConfig,
  | 'AUTH_LOGIN_DELAY_AFTER_FAILURES'
  | 'AUTH_LOGIN_DELAY_SECONDS'
  | 'AUTH_LOGIN_LOCK_AFTER_FAILURES'
  | 'AUTH_LOGIN_LOCK_SECONDS'
  | 'AUTH_LOGIN_FAILURE_WINDOW_SECONDS'
  | 'AUTH_LOGIN_IP_LIMIT'
  | 'AUTH_LOGIN_IP_WINDOW_SECONDS'
  | 'AUTH_REGISTER_IP_LIMIT'
  | 'AUTH_REGISTER_IP_WINDOW_SECONDS'
>;
