import { Global, Module } from '@nestjs/common';
import { PersistenceModule } from '@mercato/persistence';
import {
  AccessTokenVerifier,
  ApiKeyVerifier,
  CustomerAccounts,
  JwtAuthGuard,
  PartnerAuthGuard,
  RolesGuard,
} from '../auth';
import { GuestCartMerge } from '../cart/guest-cart-merge';
import { DeviceSignIn } from '../events/device-sign-in';
import { AdminController } from './admin.controller';
import { AdminBootstrap } from './admin.bootstrap';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthThrottle } from './auth-throttle';
import { API_KEY_CACHE_TTL_MS, ApiKeysService, MAX_API_KEY_CACHE_TTL_MS } from './api-keys.service';
import { Clock, SystemClock } from './clock';
import { CustomersRepository } from './customers.repository';
import { AuthController, JwksController, MeController } from './identity.controller';
import { IdentityService } from './identity.service';
import { IDENTITY_TABLES } from './identity.tables';
import { DEFAULT_SCRYPT_PARAMS, PasswordHasher, SCRYPT_PARAMS } from './password.hasher';
import { SigningKeyStore } from './signing-key.store';
import { TokenService } from './token.service';

/**
 * Accounts, sign-in, profiles and the local JWT issuer (docs/api.md, Identity).
 *
 * Needs from the root: the gateway's config (`ConfigModule.forRoot`), the persistence
 * module's global `DynamoDBDocumentClient` and `TableNames` (it registers the Customers table,
 * `IDENTITY_TABLES`, which the persistence module creates),
 * and the cache module's global `KeyValueCache` (sign-in throttling).
 *
 * Global so every gateway module can protect routes with `@Authenticated()` /
 * `JwtAuthGuard` + `RolesGuard`: the guards need the `AccessTokenVerifier` exported here.
 * Likewise partner routes with `@PartnerAuthenticated(scope)`: `PartnerAuthGuard` needs the
 * `ApiKeyVerifier` (partner API keys, issued under /v1/admin/api-keys) exported here.
 */
@Global()
@Module({
  imports: [PersistenceModule.forFeature(IDENTITY_TABLES)],
  controllers: [AuthController, MeController, JwksController, AdminController],
  providers: [
    { provide: SCRYPT_PARAMS, useValue: DEFAULT_SCRYPT_PARAMS },
    { provide: Clock, useClass: SystemClock },
    PasswordHasher,
    SigningKeyStore,
    TokenService,
    { provide: AccessTokenVerifier, useExisting: TokenService },
    CustomersRepository,
    IdentityService,
    AuthThrottle,
    AdminBootstrap,
    ApiKeysRepository,
    { provide: API_KEY_CACHE_TTL_MS, useValue: MAX_API_KEY_CACHE_TTL_MS },
    ApiKeysService,
    { provide: ApiKeyVerifier, useExisting: ApiKeysService },
    JwtAuthGuard,
    RolesGuard,
    PartnerAuthGuard,
    GuestCartMerge,
    DeviceSignIn,
    { provide: CustomerAccounts, useExisting: IdentityService },
  ],
  exports: [
    CustomerAccounts,
    AccessTokenVerifier,
    ApiKeyVerifier,
    JwtAuthGuard,
    RolesGuard,
    PartnerAuthGuard,
    IdentityService,
    TokenService,
  ],
})
export class IdentityModule {}
