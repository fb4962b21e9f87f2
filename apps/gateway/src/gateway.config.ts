import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';

/** Settings of the gateway: the public API, identity and the local JWT issuer. */
export const gatewayConfigShape = {
  MERCATO_ADMIN_EMAIL: z.email().default('admin@mercato.local'),
  MERCATO_ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .default('mercato-admin-2026'),
  JWT_ISSUER: z.string().min(1).default('mercato'),
  JWT_AUDIENCE: z.string().min(1).default('mercato-api'),
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  JWT_REFRESH_TTL_SECONDS: z.coerce.number().int().min(3_600).max(31_536_000).default(2_592_000),
};

/** Configuration of the gateway when it runs alone, in front of the other apps on Kafka. */
export const gatewayConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3000),
  ...gatewayConfigShape,
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
