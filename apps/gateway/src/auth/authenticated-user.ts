import { z } from 'zod';
import type { Region } from '@mercato/contracts';

export const ROLES = ['customer', 'seller', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Who is calling, as proven by a verified access token. Set on the request by `JwtAuthGuard`. */
export interface AuthenticatedUser {
  customerId: string;
  roles: Role[];
  region: Region;
}

/**
 * Port: turns a bearer token into the caller it proves, or throws when the token is missing a
 * valid signature, issuer, audience or expiry. The identity module provides the local issuer's
 * verifier; a Cognito JWKS verifier can replace it on AWS without touching any guard.
 */
export abstract class AccessTokenVerifier {
  abstract verify(token: string): Promise<AuthenticatedUser>;
}

/** The parts of a Fastify request the guards rely on (kept minimal so tests can build one). */
export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthenticatedUser;
}
