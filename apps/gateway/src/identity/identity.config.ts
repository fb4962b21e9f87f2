import type { GatewayConfig } from '../gateway.config';

/** The part of the gateway's validated config that identity reads (inject with `@InjectConfig()`). */
export type IdentityConfig = Pick<
  GatewayConfig,
  | 'MERCATO_ADMIN_EMAIL'
  | 'MERCATO_ADMIN_PASSWORD'
  | 'JWT_ISSUER'
  | 'JWT_AUDIENCE'
  | 'JWT_ACCESS_TTL_SECONDS'
  | 'JWT_REFRESH_TTL_SECONDS'
  | 'MERCATO_DATA_DIR'
  | 'MERCATO_STORAGE'
>;
