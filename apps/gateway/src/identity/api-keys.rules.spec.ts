import { BadRequestException, NotFoundException } from '@nestjs/common';
import { FakeClock } from '../../test/support/identity-test-support';
import { InMemoryApiKeys, InMemoryCustomers } from '../../test/support/in-memory-identity';
import type { Role } from '../auth';
import {
  API_KEY_PREFIX,
  ApiKeysService,
  hashApiKey,
  MAX_API_KEY_CACHE_TTL_MS,
} from './api-keys.service';

/**
 * The partner API key rules of ApiKeysService, on in-memory stores (no table:
 * api-keys.service.spec.ts runs the same service on dynalite).
 */
describe('partner API key rules (in memory)', () => {
  let clock: FakeClock;
  let customers: InMemoryCustomers;
  let keys: InMemoryApiKeys;

  beforeEach(() => {
    clock = new FakeClock();
    customers = new InMemoryCustomers();
    keys = new InMemoryApiKeys();
  });

  const serviceWithCache = (ttlMs: number) =>
    new ApiKeysService(keys.asRepository(), customers.asRepository(), clock, ttlMs);

  let accounts = 0;
  async function account(roles: Role[]): Promise<string> {
    const customerId = `acct-${++accounts}`;
    await customers.createProfile({
      customerId,
      email: `${customerId}@example.com`,
      name: 'Acme',
      region: 'us',
      roles,
      passwordHash: 'unused',
      createdAt: new Date(clock.now()).toISOString(),
    });
    return customerId;
  }

  describe('issuing', () => {
    it('gives a seller an mk_live_ key shown once, storing only its sha256', async () => {
      const service = serviceWithCache(MAX_API_KEY_CACHE_TTL_MS);
      const sellerId = await account(['seller']);
      const issued = await service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
      expect(issued.apiKey).toMatch(/^mk_live_[A-Za-z0-9_-]{43}$/);
      expect(issued.apiKey.startsWith(API_KEY_PREFIX)).toBe(true);
      const stored = keys.keys.get(issued.apiKeyId)!;
      expect(stored.hash).toBe(hashApiKey(issued.apiKey));
      expect(JSON.stringify(stored.record)).not.toContain(issued.apiKey);
    });

    it('names keys by creation time, so newer keys sort after older ones', async () => {
      const service = serviceWithCache(MAX_API_KEY_CACHE_TTL_MS);
      const sellerId = await account(['seller']);
      const older = await service.issue({ name: 'A', sellerId, scopes: ['catalog:feed'] });
      clock.advance(1);
      const newer = await service.issue({ name: 'B', sellerId, scopes: ['catalog:feed'] });
      expect(older.apiKeyId).toMatch(/^ak_[0-9a-z]{26}$/);
      expect(newer.apiKeyId.slice(0, 13) > older.apiKeyId.slice(0, 13)).toBe(true);
    });

    it('keeps each scope once', async () => {
      const service = serviceWithCache(MAX_API_KEY_CACHE_TTL_MS);
      const sellerId = await account(['seller']);
      const issued = await service.issue({
        name: 'Feed',
        sellerId,
        scopes: ['catalog:feed', 'catalog:feed'],
      });
      expect(issued.scopes).toEqual(['catalog:feed']);
    });

    it('refuses (404) an account that is not a seller, admins and customers included', async () => {
      const service = serviceWithCache(MAX_API_KEY_CACHE_TTL_MS);
      for (const sellerId of ['nobody', await account(['customer']), await account(['admin'])]) {
        await expect(
          service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] }),
        ).rejects.toBeInstanceOf(NotFoundException);
      }
      expect(keys.keys.size).toBe(0);
    });
  });

  describe('verifying', () => {
    it('answers the seller and scopes of a live key, and nothing for a revoked one', async () => {
      const service = serviceWithCache(0);
      const sellerId = await account(['seller']);
      const issued = await service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
      await expect(service.verify(issued.apiKey)).resolves.toEqual({
        apiKeyId: issued.apiKeyId,
        sellerId,
        scopes: ['catalog:feed'],
      });
      await service.revoke(issued.apiKeyId);
      await expect(service.verify(issued.apiKey)).resolves.toBeUndefined();
    });

    it('refuses a malformed key without looking it up', async () => {
      const service = serviceWithCache(MAX_API_KEY_CACHE_TTL_MS);
      for (const presented of ['', 'mk_live_short', `mk_test_${'a'.repeat(43)}`]) {
        await expect(service.verify(presented)).resolves.toBeUndefined();
      }
      expect(keys.lookups).toBe(0);
    });

    it('serves a verified key from memory for the cache TTL, then looks it up again', async () => {
      const service = serviceWithCache(2_000);
      const sellerId = await account(['seller']);
      const { apiKey } = await service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
      await service.verify(apiKey);
      clock.advance(1_999);
      await service.verify(apiKey);
      expect(keys.lookups).toBe(1);
      clock.advance(1);
      await service.verify(apiKey);
      expect(keys.lookups).toBe(2);
    });

    it('never caches longer than 5 s, so a revocation elsewhere shows within that', async () => {
      const service = serviceWithCache(60_000);
      const sellerId = await account(['seller']);
      const { apiKey } = await service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
      await service.verify(apiKey);
      keys.live.delete(hashApiKey(apiKey)); // another gateway revoked it
      clock.advance(MAX_API_KEY_CACHE_TTL_MS - 1);
      await expect(service.verify(apiKey)).resolves.toBeDefined();
      clock.advance(1);
      await expect(service.verify(apiKey)).resolves.toBeUndefined();
    });

    it('does not cache a failed lookup, so random keys cannot fill the cache', async () => {
      const service = serviceWithCache(MAX_API_KEY_CACHE_TTL_MS);
      const unknown = `${API_KEY_PREFIX}${'x'.repeat(43)}`;
      await service.verify(unknown);
      await service.verify(unknown);
      expect(keys.lookups).toBe(2);
    });

    it('stops accepting a key revoked on this gateway at once, despite the cache', async () => {
      const service = serviceWithCache(MAX_API_KEY_CACHE_TTL_MS);
      const sellerId = await account(['seller']);
      const issued = await service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
      await service.verify(issued.apiKey);
      await service.revoke(issued.apiKeyId);
      await expect(service.verify(issued.apiKey)).resolves.toBeUndefined();
    });
  });

  describe('revoking and listing', () => {
    it('revokes idempotently, keeping the first revocation time, and 404s an unknown id', async () => {
      const service = serviceWithCache(MAX_API_KEY_CACHE_TTL_MS);
      const sellerId = await account(['seller']);
      const issued = await service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
      await service.revoke(issued.apiKeyId);
      const revokedAt = keys.keys.get(issued.apiKeyId)!.record.revokedAt;
      clock.advance(60_000);
      await service.revoke(issued.apiKeyId);
      expect(keys.keys.get(issued.apiKeyId)!.record.revokedAt).toBe(revokedAt);
      await expect(service.revoke('ak_unknown')).rejects.toBeInstanceOf(NotFoundException);
    });

    it('pages with an opaque cursor and refuses (400) one it did not make', async () => {
      const service = serviceWithCache(MAX_API_KEY_CACHE_TTL_MS);
      const sellerId = await account(['seller']);
      for (const name of ['A', 'B', 'C']) {
        await service.issue({ name, sellerId, scopes: ['catalog:feed'] });
        clock.advance(1);
      }
      const first = await service.list(2);
      expect(first.items.map((k) => k.name)).toEqual(['C', 'B']);
      expect(first.nextCursor).not.toContain('ak_');
      const second = await service.list(2, first.nextCursor!);
      expect(second).toEqual({ items: [expect.objectContaining({ name: 'A' })], nextCursor: null });
      await expect(service.list(2, 'not-a-cursor')).rejects.toBeInstanceOf(BadRequestException);
    });
  });
});
