import { Global, Module } from '@nestjs/common';
import { AccessTokenVerifier, JwtAuthGuard, RolesGuard } from '../auth';
import { AdminBootstrap } from './admin.bootstrap';
import { Clock, SystemClock } from './clock';
import { CustomersRepository } from './customers.repository';
import { AuthController, JwksController, MeController } from './identity.controller';
import { IdentityService } from './identity.service';
import { DEFAULT_SCRYPT_PARAMS, PasswordHasher, SCRYPT_PARAMS } from './password.hasher';
import { SigningKeyStore } from './signing-key.store';
import { TokenService } from './token.service';

/**
 * Accounts, sign-in, profiles and the local JWT issuer (API.md, Identity).
 *
 * Needs from the root: the gateway's config (`ConfigModule.forRoot`), and the persistence
 * module's global `DynamoDBDocumentClient` and `TableNames` with the Customers table created.
 *
 * Global so every gateway module can protect routes with `@Authenticated()` /
 * `JwtAuthGuard` + `RolesGuard`: the guards need the `AccessTokenVerifier` exported here.
 */
@Global()
@Module({
  controllers: [AuthController, MeController, JwksController],
  providers: [
    { provide: SCRYPT_PARAMS, useValue: DEFAULT_SCRYPT_PARAMS },
    { provide: Clock, useClass: SystemClock },
    PasswordHasher,
    SigningKeyStore,
    TokenService,
    { provide: AccessTokenVerifier, useExisting: TokenService },
    CustomersRepository,
    IdentityService,
    AdminBootstrap,
    JwtAuthGuard,
    RolesGuard,
  ],
  exports: [AccessTokenVerifier, JwtAuthGuard, RolesGuard, IdentityService, TokenService],
})
export class IdentityModule {}
