import type { VerifiedApiKey } from '../../src/auth';
import type {
  ApiKeyPage,
  ApiKeyRecord,
  ApiKeysRepository,
} from '../../src/identity/api-keys.repository';
import type {
  CustomerRecord,
  CustomersRepository,
  NewCustomer,
} from '../../src/identity/customers.repository';
import type { ProfileUpdate } from '../../src/identity/identity.dto';

/**
 * In-memory stand-ins for the identity repositories, so the identity rules (IdentityService,
 * ApiKeysService) are specified without a table. Each keeps the promises its repository's
 * comments make (a refused conditional write answers false or undefined, a refresh token works
 * once and not after it expires, a revoked key stops verifying); the dynalite specs check that
 * the real repositories keep them too.
 */

/** The public methods of a repository class: what a service can call. */
type PublicPart<T> = { [K in keyof T]: T[K] };

export class InMemoryCustomers implements PublicPart<CustomersRepository> {
  readonly profiles = new Map<string, CustomerRecord>();
  readonly emailOwners = new Map<string, string>();
  /** Refresh tokens per customer: hash → expiry in epoch seconds, as the table stores it. */
  readonly refreshTokens = new Map<string, Map<string, number>>();

  /** This fake where a service expects the repository class (its private fields aside). */
  asRepository(): CustomersRepository {
    return this as unknown as CustomersRepository;
  }

  async createProfile(customer: NewCustomer): Promise<boolean> {
    if (this.profiles.has(customer.customerId)) return false;
    this.profiles.set(customer.customerId, { ...customer, preferences: {}, addresses: [] });
    return true;
  }

  async deleteProfile(customerId: string): Promise<void> {
    this.profiles.delete(customerId);
  }

  async claimEmail(email: string, ownerId: string): Promise<boolean> {
    if (this.emailOwners.has(email)) return false;
    this.emailOwners.set(email, ownerId);
    return true;
  }

  async findEmailOwner(email: string): Promise<string | undefined> {
    return this.emailOwners.get(email);
  }

  async findById(customerId: string): Promise<CustomerRecord | undefined> {
    const profile = this.profiles.get(customerId);
    return profile && structuredClone(profile);
  }

  async updateProfile(
    customerId: string,
    patch: ProfileUpdate,
  ): Promise<CustomerRecord | undefined> {
    const profile = this.profiles.get(customerId);
    if (!profile) return undefined;
    const defined = <T>(value: T | undefined, current: T): T => value ?? current;
    const preferences = Object.entries(patch.preferences ?? {}).filter(([, v]) => v !== undefined);
    const next: CustomerRecord = {
      ...profile,
      name: defined(patch.name, profile.name),
      region: defined(patch.region, profile.region),
      addresses: defined(patch.addresses, profile.addresses),
      preferences: { ...profile.preferences, ...Object.fromEntries(preferences) },
    };
    this.profiles.set(customerId, next);
    return structuredClone(next);
  }

  async updatePasswordHash(customerId: string, passwordHash: string): Promise<void> {
    const profile = this.profiles.get(customerId);
    if (!profile) throw conditionFailed();
    this.profiles.set(customerId, { ...profile, passwordHash });
  }

  async saveRefreshToken(customerId: string, hash: string, expiresAtMs: number): Promise<void> {
    const tokens = this.refreshTokens.get(customerId) ?? new Map<string, number>();
    if (tokens.has(hash)) throw conditionFailed();
    tokens.set(hash, Math.floor(expiresAtMs / 1000));
    this.refreshTokens.set(customerId, tokens);
  }

  async revokeRefreshTokens(customerId: string): Promise<number> {
    const revoked = this.refreshTokens.get(customerId)?.size ?? 0;
    this.refreshTokens.delete(customerId);
    return revoked;
  }

  async consumeRefreshToken(customerId: string, hash: string, nowMs: number): Promise<boolean> {
    const tokens = this.refreshTokens.get(customerId);
    const expiresAt = tokens?.get(hash);
    if (expiresAt === undefined || expiresAt <= Math.floor(nowMs / 1000)) return false;
    tokens!.delete(hash);
    return true;
  }
}

export class InMemoryApiKeys implements PublicPart<ApiKeysRepository> {
  /** Listing records by key id, with the hash of each secret. */
  readonly keys = new Map<string, { record: ApiKeyRecord; hash: string }>();
  /** Live keys by the hash of their secret (revoking deletes the entry). */
  readonly live = new Map<string, VerifiedApiKey>();
  /** How many lookups by hash reached the store (what the verification cache saves). */
  lookups = 0;

  asRepository(): ApiKeysRepository {
    return this as unknown as ApiKeysRepository;
  }

  async create(key: ApiKeyRecord, hash: string): Promise<void> {
    if (this.keys.has(key.apiKeyId) || this.live.has(hash)) throw conditionFailed();
    this.keys.set(key.apiKeyId, { record: { ...key }, hash });
    this.live.set(hash, {
      apiKeyId: key.apiKeyId,
      sellerId: key.sellerId,
      scopes: key.scopes,
      ...(key.warehouseId ? { warehouseId: key.warehouseId } : {}),
    });
  }

  async findLiveByHash(hash: string): Promise<VerifiedApiKey | undefined> {
    this.lookups++;
    return this.live.get(hash);
  }

  async list(limit: number, afterApiKeyId?: string): Promise<ApiKeyPage> {
    const newestFirst = [...this.keys.keys()].sort().reverse();
    const from = afterApiKeyId === undefined ? 0 : newestFirst.indexOf(afterApiKeyId) + 1;
    const page = newestFirst.slice(from, from + limit);
    const more = from + limit < newestFirst.length;
    return {
      items: page.map((id) => ({ ...this.keys.get(id)!.record })),
      lastApiKeyId: more ? page[page.length - 1] : undefined,
    };
  }

  async revoke(apiKeyId: string, revokedAt: string): Promise<{ hash: string } | undefined> {
    const key = this.keys.get(apiKeyId);
    if (!key) return undefined;
    this.live.delete(key.hash);
    key.record.revokedAt ??= revokedAt;
    return { hash: key.hash };
  }
}

/** What a refused conditional write throws, by the name the SDK gives it. */
function conditionFailed(): Error {
  const error = new Error('The conditional request failed');
  error.name = 'ConditionalCheckFailedException';
  return error;
}
