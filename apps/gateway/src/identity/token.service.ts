import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { InjectConfig } from '@mercato/config';
import { regionSchema } from '@mercato/contracts';
import type { IdentityConfig } from './identity.config';
import { AccessTokenVerifier, roleSchema, type AuthenticatedUser } from '../auth';
import { Clock } from './clock';
import { SIGNING_ALG, SigningKeyStore } from './signing-key.store';

/** RFC 9068 media type of JWT access tokens: an ID token or other JWT cannot pass as one. */
const ACCESS_TOKEN_TYP = 'at+jwt';

const accessClaimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(roleSchema),
  region: regionSchema,
});

export interface IssuedAccessToken {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface IssuedRefreshToken {
  refreshToken: string;
  /** sha256 of the token: the only form that is stored. */
  hash: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Issues and verifies the local issuer's tokens.
 *
 * Access tokens: RS256 JWTs with `sub`, `roles`, `region`, `iss`, `aud`, `exp`, `iat`, `jti`,
 * `kid` in the header, verified against the same JWKS that `/.well-known/jwks.json` publishes.
 *
 * Refresh tokens: opaque `<customerId>.<256 random bits>`; the customer id in clear lets the
 * store find the hashed record under the customer's partition without a secondary index.
 */
@Injectable()
export class TokenService extends AccessTokenVerifier {
  private keySet?: { kid: string; getKey: JWTVerifyGetKey };

  constructor(
    private readonly keys: SigningKeyStore,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: IdentityConfig,
  ) {
    super();
  }

  async issueAccessToken(user: AuthenticatedUser): Promise<IssuedAccessToken> {
    const key = this.keys.current();
    const iat = Math.floor(this.clock.now() / 1000);
    const expiresIn = this.config.JWT_ACCESS_TTL_SECONDS;
    const accessToken = await new SignJWT({ roles: user.roles, region: user.region })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP })
      .setSubject(user.customerId)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + expiresIn)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { accessToken, expiresIn };
  }

  /** Verifies signature, `typ`, issuer, audience and expiry; throws on any failure. */
  async verify(token: string): Promise<AuthenticatedUser> {
    const { payload } = await jwtVerify(token, this.verificationKeys(), {
      algorithms: [SIGNING_ALG],
      typ: ACCESS_TOKEN_TYP,
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      currentDate: new Date(this.clock.now()),
    });
    const claims = accessClaimsSchema.parse(payload);
    return { customerId: claims.sub, roles: claims.roles, region: claims.region };
  }

  newRefreshToken(customerId: string): IssuedRefreshToken {
    const refreshToken = `${customerId}.${randomBytes(32).toString('base64url')}`;
    return {
      refreshToken,
      hash: hashRefreshToken(refreshToken),
      expiresAt: this.clock.now() + this.config.JWT_REFRESH_TTL_SECONDS * 1000,
    };
  }

  /** Splits a presented refresh token into its owner and stored hash; undefined if malformed. */
  parseRefreshToken(token: string): { customerId: string; hash: string } | undefined {
    const dot = token.lastIndexOf('.');
    if (dot <= 0 || token.length - dot - 1 !== 43) return undefined;
    return { customerId: token.slice(0, dot), hash: hashRefreshToken(token) };
  }

  private verificationKeys(): JWTVerifyGetKey {
    const kid = this.keys.current().kid;
    if (this.keySet?.kid !== kid) {
      this.keySet = { kid, getKey: createLocalJWKSet(this.keys.jwks()) };
    }
    return this.keySet.getKey;
  }
}

function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
