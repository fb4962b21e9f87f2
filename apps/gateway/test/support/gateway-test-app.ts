import { Global, Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MessagingModule } from '@mercato/messaging';
import { createHttpApp } from '@mercato/runtime';
import {
  AccessTokenVerifier,
  ApiKeyVerifier,
  type AuthenticatedUser,
  CustomerAccounts,
  JwtAuthGuard,
  PartnerAuthGuard,
  RolesGuard,
  type VerifiedApiKey,
} from '../../src/auth';

/** Test helpers of the gateway's HTTP specs (not a spec itself). */

/** The callers the specs sign in as: the bearer token is the name. */
export const TEST_USERS = {
  ann: { customerId: 'c-ann', roles: ['customer'], region: 'eu' },
  bob: { customerId: 'c-bob', roles: ['customer'], region: 'us' },
  sam: { customerId: 's-sam', roles: ['seller'], region: 'us' },
  ada: { customerId: 'a-ada', roles: ['admin'], region: 'us' },
} satisfies Record<string, AuthenticatedUser>;
export type TestUser = keyof typeof TEST_USERS;

export const bearer = (user: TestUser): Record<string, string> => ({
  authorization: `Bearer ${user}`,
});

class TestTokens extends AccessTokenVerifier {
  async verify(token: string): Promise<AuthenticatedUser> {
    const user = (TEST_USERS as Record<string, AuthenticatedUser>)[token];
    if (!user) throw new Error('bad signature');
    return user;
  }
}

/** The partner keys the specs send as `X-Api-Key`: the header is the name. */
export const TEST_API_KEYS = {
  /** A warehouse system's key, bound to the EU warehouse. */
  'key-eu-dock': {
    apiKeyId: 'ak_eu_dock',
    sellerId: 's-sam',
    scopes: ['fulfillment'],
    warehouseId: 'eu-west',
  },
  /** A key for any warehouse (issued without a binding). */
  'key-any-dock': { apiKeyId: 'ak_any_dock', sellerId: 's-sam', scopes: ['fulfillment'] },
  'key-stock-feed': { apiKeyId: 'ak_stock', sellerId: 's-sam', scopes: ['inventory:feed'] },
} satisfies Record<string, VerifiedApiKey>;
export type TestApiKey = keyof typeof TEST_API_KEYS;

export const apiKey = (key: TestApiKey): Record<string, string> => ({ 'x-api-key': key });

class TestApiKeys extends ApiKeyVerifier {
  async verify(key: string): Promise<VerifiedApiKey | undefined> {
    return (TEST_API_KEYS as Record<string, VerifiedApiKey>)[key];
  }
}

/** Every test customer's account was created on one day. */
export const TEST_CUSTOMER_SINCE = '2026-01-05T09:00:00.000Z';

class TestAccounts extends CustomerAccounts {
  async customerSince(customerId: string): Promise<string | undefined> {
    const known = Object.values(TEST_USERS).some((user) => user.customerId === customerId);
    return known ? TEST_CUSTOMER_SINCE : undefined;
  }
}

/**
 * Stands in for the identity module's token issuer, accounts and API keys: the guards as in
 * production.
 */
@Global()
@Module({
  providers: [
    { provide: AccessTokenVerifier, useClass: TestTokens },
    { provide: CustomerAccounts, useClass: TestAccounts },
    { provide: ApiKeyVerifier, useClass: TestApiKeys },
    JwtAuthGuard,
    RolesGuard,
    PartnerAuthGuard,
  ],
  exports: [
    AccessTokenVerifier,
    CustomerAccounts,
    ApiKeyVerifier,
    JwtAuthGuard,
    RolesGuard,
    PartnerAuthGuard,
  ],
})
class TestAuthModule {}

/**
 * Boots gateway feature modules as the gateway serves them (createHttpApp: problem+json,
 * zod validation, correlation ids) on the in-memory bus, with `fakes` answering on the bus in
 * place of the services. Drive it with `app.inject`.
 */
export async function startGatewayTestApp(
  features: Type[],
  fakes: Type[],
): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      MessagingModule.forRoot({
        MERCATO_BUS: 'memory',
        BUS_MAX_ATTEMPTS: 1,
        BUS_RETRY_BACKOFF_MS: 1,
      }),
      TestAuthModule,
      ...features,
    ],
    providers: fakes,
  })
  class TestRoot {}
  const app = await createHttpApp(TestRoot, {
    service: 'gateway-test',
    logLevel: 'silent',
    logRequests: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
