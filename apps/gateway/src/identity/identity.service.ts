import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleInit,
  UnauthorizedException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Region } from '@mercato/contracts';
import { CustomerAccounts, type Role } from '../auth';
import { Clock } from './clock';
import { CustomersRepository, type CustomerRecord } from './customers.repository';
import type { CustomerProfile, ProfileUpdate } from './identity.dto';
import { PasswordHasher } from './password.hasher';
import { TokenService } from './token.service';

export interface NewAccount {
  email: string;
  password: string;
  name: string;
  region: Region;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export type CreateAccountResult = { created: true; customerId: string } | { created: false };
export type EnsureAdminResult =
  | { outcome: 'created' | 'exists'; customerId: string }
  | { outcome: 'taken-by-non-admin'; customerId: string };
export type ResetAdminResult =
  | { outcome: 'created' | 'reset'; customerId: string }
  | { outcome: 'taken-by-non-admin'; customerId: string };

const BAD_CREDENTIALS = 'The email or password is incorrect.';
const BAD_REFRESH = 'The refresh token is invalid, expired or already used.';

/** Emails are compared trimmed and lower-cased everywhere (the DTOs normalise the same way). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** Accounts, sign-in and the signed-in customer's profile. */
@Injectable()
export class IdentityService implements OnModuleInit, CustomerAccounts {
  private readonly logger = new Logger(IdentityService.name);
  private dummyHash?: Promise<string>;

  constructor(
    private readonly customers: CustomersRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.hashForUnknownEmails();
  }

  async register(account: NewAccount): Promise<{ customerId: string }> {
    return { customerId: await this.createOrConflict(account, 'customer') };
  }

  /** Creates a seller account (an admin's act): same rules as `register`, role `seller`. */
  async createSeller(account: NewAccount): Promise<{ sellerId: string }> {
    return { sellerId: await this.createOrConflict(account, 'seller') };
  }

  private async createOrConflict(account: NewAccount, role: Role): Promise<string> {
    const result = await this.createAccount(account, [role]);
    if (!result.created) throw new ConflictException('An account with this email already exists.');
    return result.customerId;
  }

  /**
   * Creates an account, or reports that the email is taken.
   *
   * Crash safety without transactions: the profile is written first under a fresh id, then the
   * email claim (`email#<email>` → ownerId) is put conditionally. The claim is the commit point:
   * - a crash between the two writes leaves a profile nobody can reach (sign-in resolves
   *   through the claim), and the email stays free for the next attempt — nothing blocks it;
   * - a lost race for the claim deletes the loser's profile and reports the email as taken.
   * The opposite order (claim first) would leave a claim pointing at nothing after a crash and
   * block that email until someone repaired it. An orphan profile is inert; a later sweep can
   * delete profiles whose email claim does not point back at them.
   */
  async createAccount(account: NewAccount, roles: Role[]): Promise<CreateAccountResult> {
    const email = normaliseEmail(account.email);
    // Cheap early answer for the common duplicate; the conditional claim below settles races.
    if (await this.customers.findEmailOwner(email)) return { created: false };

    const customerId = randomUUID();
    const createdAt = new Date(this.clock.now()).toISOString();
    const passwordHash = await this.hasher.hash(account.password);
    const written = await this.customers.createProfile({
      customerId,
      email,
      name: account.name,
      region: account.region,
      roles,
      passwordHash,
      createdAt,
    });
    if (!written) throw new Error(`customer id ${customerId} already exists`); // a UUID collision

    if (await this.customers.claimEmail(email, customerId, createdAt)) {
      return { created: true, customerId };
    }
    await this.customers.deleteProfile(customerId).catch((error: unknown) => {
      this.logger.warn(`Could not delete the orphan profile ${customerId}: ${String(error)}`);
    });
    return { created: false };
  }

  /**
   * Same 401 for an unknown email and a wrong password, and the KDF runs in both cases so the
   * response time does not tell them apart.
   */
  async login(email: string, password: string): Promise<Tokens> {
    const normalised = normaliseEmail(email);
    const ownerId = await this.customers.findEmailOwner(normalised);
    const customer = ownerId ? await this.customers.findById(ownerId) : undefined;
    const stored = customer?.passwordHash ?? (await this.hashForUnknownEmails());
    const matches = await this.hasher.verify(password, stored);
    if (!customer || !matches || customer.email !== normalised) {
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    if (this.hasher.needsRehash(customer.passwordHash)) {
      await this.customers
        .updatePasswordHash(customer.customerId, await this.hasher.hash(password))
        .catch((error: unknown) => this.logger.warn(`Password rehash failed: ${String(error)}`));
    }
    return this.issueTokens(customer);
  }

  /**
   * Rotates a refresh token: the presented one is deleted conditionally (so it works exactly
   * once, even under concurrent use) before a new pair is issued. Roles and region come from
   * the current profile, so changes to them apply from the next refresh.
   */
  async refresh(refreshToken: string): Promise<Tokens> {
    const presented = this.tokens.parseRefreshToken(refreshToken);
    if (!presented) throw new UnauthorizedException(BAD_REFRESH);
    const consumed = await this.customers.consumeRefreshToken(
      presented.customerId,
      presented.hash,
      this.clock.now(),
    );
    if (!consumed) throw new UnauthorizedException(BAD_REFRESH);
    const customer = await this.customers.findById(presented.customerId);
    if (!customer) throw new UnauthorizedException(BAD_REFRESH);
    return this.issueTokens(customer);
  }

  /** CustomerAccounts: when the account was created (ISO 8601), or undefined. */
  async customerSince(customerId: string): Promise<string | undefined> {
    return (await this.customers.findById(customerId))?.createdAt;
  }

  async getProfile(customerId: string): Promise<CustomerProfile> {
    const customer = await this.customers.findById(customerId);
    if (!customer) throw new NotFoundException('No profile exists for this customer.');
    return toProfile(customer);
  }

  async updateProfile(customerId: string, patch: ProfileUpdate): Promise<CustomerProfile> {
    const updatedAt = new Date(this.clock.now()).toISOString();
    const customer = await this.customers.updateProfile(customerId, patch, updatedAt);
    if (!customer) throw new NotFoundException('No profile exists for this customer.');
    return toProfile(customer);
  }

  /**
   * Makes sure an admin account exists for `email`. Idempotent across restarts and across
   * processes starting together: the email claim lets exactly one of them create it. An
   * existing account is never changed (its password is not reset from the configuration).
   */
  async ensureAdmin(email: string, password: string): Promise<EnsureAdminResult> {
    const normalised = normaliseEmail(email);
    for (let attempt = 0; attempt < 3; attempt++) {
      const ownerId = await this.customers.findEmailOwner(normalised);
      if (ownerId) {
        const owner = await this.customers.findById(ownerId);
        const isAdmin = owner?.roles.includes('admin') ?? false;
        return { outcome: isAdmin ? 'exists' : 'taken-by-non-admin', customerId: ownerId };
      }
      const result = await this.createAccount(
        { email: normalised, password, name: 'Administrator', region: 'us' },
        ['admin'],
      );
      if (result.created) return { outcome: 'created', customerId: result.customerId };
      // Another process claimed it between our read and our write: read its claim again.
    }
    throw new Error(`Could not create or find the admin account ${normalised}`);
  }

  /**
   * Sets the admin account's password (creating the account when there is none) and revokes its
   * refresh tokens, so sessions opened with the old password end at their next refresh. An
   * account of `email` that is not an admin is left alone.
   */
  async resetAdminPassword(email: string, password: string): Promise<ResetAdminResult> {
    const ensured = await this.ensureAdmin(email, password);
    if (ensured.outcome === 'created')
      return { outcome: 'created', customerId: ensured.customerId };
    if (ensured.outcome === 'taken-by-non-admin') return ensured;
    await this.customers.updatePasswordHash(ensured.customerId, await this.hasher.hash(password));
    await this.customers.revokeRefreshTokens(ensured.customerId);
    return { outcome: 'reset', customerId: ensured.customerId };
  }

  private async issueTokens(customer: CustomerRecord): Promise<Tokens> {
    const { accessToken, expiresIn } = await this.tokens.issueAccessToken({
      customerId: customer.customerId,
      roles: customer.roles,
      region: customer.region,
    });
    const refresh = this.tokens.newRefreshToken(customer.customerId);
    await this.customers.saveRefreshToken(customer.customerId, refresh.hash, refresh.expiresAt);
    return { accessToken, refreshToken: refresh.refreshToken, expiresIn };
  }

  /** A real hash with the current parameters, verified against when the email is unknown. */
  private hashForUnknownEmails(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomUUID());
    return this.dummyHash;
  }
}

function toProfile(customer: CustomerRecord): CustomerProfile {
  const { passwordHash: _secret, ...profile } = customer;
  return profile;
}
