import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { WarehouseId } from '@mercato/contracts';
import { actsForSeller, ApiKeyVerifier, type PartnerScope, type VerifiedApiKey } from '../auth';
import { Clock } from './clock';
import { ApiKeysRepository, type ApiKeyRecord } from './api-keys.repository';
import { CustomersRepository } from './customers.repository';

/** How long a verified key may be served from memory, in ms (at most `MAX_API_KEY_CACHE_TTL_MS`). */
export const API_KEY_CACHE_TTL_MS = 'API_KEY_CACHE_TTL_MS';
/** A revoked key stops working on every gateway within this time. */
export const MAX_API_KEY_CACHE_TTL_MS = 5_000;
const MAX_CACHED_KEYS = 10_000;

export const API_KEY_PREFIX = 'mk_live_';
/** `mk_live_` and 32 random bytes in base64url (43 characters). */
const API_KEY_FORMAT = /^mk_live_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  name: string;
  /** Required with a feed scope (those routes act for the seller); optional otherwise. */
  sellerId?: string;
  scopes: PartnerScope[];
  /** Binds the key to one warehouse's shipments. */
  warehouseId?: WarehouseId;
}

/** A new key with its secret, which exists only in this answer. */
export interface IssuedApiKey {
  apiKeyId: string;
  apiKey: string;
  name: string;
  sellerId?: string;
  scopes: PartnerScope[];
  createdAt: string;
  warehouseId?: WarehouseId;
}

export interface ApiKeyList {
  items: ApiKeyRecord[];
  nextCursor: string | null;
}

export const hashApiKey = (apiKey: string): string =>
  createHash('sha256').update(apiKey).digest('hex');

/**
 * Partner API keys: issued by admins to sellers and warehouse operators, verified on partner
 * routes.
 *
 * Only the sha256 of a secret is stored (256 random bits need no slow KDF). Verification is
 * one consistent GetItem; successful lookups are kept in memory for a few seconds so a feed
 * posting many requests does not read the table each time. Failed lookups are not cached, so
 * random keys cannot fill the cache, and a revocation on this gateway drops its entry at once;
 * other gateways stop accepting the key when their entry expires.
 */
@Injectable()
export class ApiKeysService extends ApiKeyVerifier {
  private readonly cache = new Map<string, { key: VerifiedApiKey; until: number }>();
  private readonly ttlMs: number;

  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly customers: CustomersRepository,
    private readonly clock: Clock,
    @Inject(API_KEY_CACHE_TTL_MS) cacheTtlMs: number,
  ) {
    super();
    this.ttlMs = Math.min(Math.max(cacheTtlMs, 0), MAX_API_KEY_CACHE_TTL_MS);
  }

  /**
   * Issues a key, for an existing seller account when `sellerId` is given (404 otherwise). A key
   * with a feed scope must name its seller (400): feeds write that seller's products and stock.
   */
  async issue(request: NewApiKey): Promise<IssuedApiKey> {
    if (request.sellerId === undefined) {
      if (actsForSeller(request.scopes)) {
        throw new BadRequestException('A key with a feed scope needs the sellerId it acts for.');
      }
    } else {
      const seller = await this.customers.findById(request.sellerId);
      if (!seller?.roles.includes('seller')) {
        throw new NotFoundException(`No seller account has the id ${request.sellerId}.`);
      }
    }
    const now = this.clock.now();
    const apiKey = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const record: ApiKeyRecord = {
      apiKeyId: newApiKeyId(now),
      name: request.name,
      ...(request.sellerId !== undefined ? { sellerId: request.sellerId } : {}),
      scopes: [...new Set(request.scopes)],
      createdAt: new Date(now).toISOString(),
      ...(request.warehouseId ? { warehouseId: request.warehouseId } : {}),
    };
    await this.apiKeys.create(record, hashApiKey(apiKey));
    const { revokedAt: _none, ...issued } = record;
    return { ...issued, apiKey };
  }

  async list(limit: number, cursor?: string): Promise<ApiKeyList> {
    const page = await this.apiKeys.list(limit, cursor === undefined ? undefined : decode(cursor));
    return {
      items: page.items,
      nextCursor: page.lastApiKeyId ? encode(page.lastApiKeyId) : null,
    };
  }

  /** Revokes a key (idempotent); 404 when no key has this id. */
  async revoke(apiKeyId: string): Promise<void> {
    const revoked = await this.apiKeys.revoke(apiKeyId, new Date(this.clock.now()).toISOString());
    if (!revoked) throw new NotFoundException(`No API key has the id ${apiKeyId}.`);
    this.cache.delete(revoked.hash);
  }

  async verify(apiKey: string): Promise<VerifiedApiKey | undefined> {
    if (!API_KEY_FORMAT.test(apiKey)) return undefined;
    const hash = hashApiKey(apiKey);
    const now = this.clock.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.key;
    this.cache.delete(hash);

    const key = await this.apiKeys.findLiveByHash(hash);
    if (key && this.ttlMs > 0) {
      if (this.cache.size >= MAX_CACHED_KEYS) {
        // Map keeps insertion order: drop the oldest entry.
        this.cache.delete(this.cache.keys().next().value as string);
      }
      this.cache.set(hash, { key, until: now + this.ttlMs });
    }
    return key;
  }
}

/** `ak_` + creation time (base36, fixed width, so ids sort by time) + 64 random bits. */
function newApiKeyId(nowMs: number): string {
  return `ak_${nowMs.toString(36).padStart(10, '0')}${randomBytes(8).toString('hex')}`;
}

export const API_KEY_ID_FORMAT = /^ak_[0-9a-z]{26}$/;

/** The cursor is the last listed key id, kept opaque to clients. */
function encode(lastApiKeyId: string): string {
  return Buffer.from(lastApiKeyId).toString('base64url');
}

function decode(cursor: string): string {
  const lastApiKeyId = Buffer.from(cursor, 'base64url').toString();
  if (!API_KEY_ID_FORMAT.test(lastApiKeyId))
    throw new BadRequestException('The cursor is invalid.');
  return lastApiKeyId;
}
