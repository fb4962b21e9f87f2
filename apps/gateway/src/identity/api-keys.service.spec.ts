import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DeleteCommand, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService, hashApiKey, MAX_API_KEY_CACHE_TTL_MS } from './api-keys.service';
import { CustomersRepository } from './customers.repository';
import { FakeClock } from '../../test/support/identity-test-support';
import { CUSTOMERS_TABLE, IDENTITY_TABLES } from './identity.tables';

describe('ApiKeysService (on dynalite)', () => {
  let dynamo: TestDynamo;
  let customers: CustomersRepository;
  let clock: FakeClock;
  let service: ApiKeysService;
  let n = 0;

  beforeAll(async () => {
    dynamo = await startTestDynamo(IDENTITY_TABLES);
  });
  afterAll(() => dynamo.close());

  beforeEach(() => {
    clock = new FakeClock();
    customers = new CustomersRepository(dynamo.doc, dynamo.tables);
    service = new ApiKeysService(
      new ApiKeysRepository(dynamo.doc, dynamo.tables),
      customers,
      clock,
      MAX_API_KEY_CACHE_TTL_MS,
    );
  });

  const account = async (roles: ('customer' | 'seller' | 'admin')[]): Promise<string> => {
    const customerId = `acct-${++n}-${Date.now()}`;
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
  };

  /** What another gateway's DELETE does: the lookup item goes, this process's cache stays. */
  const revokeElsewhere = (apiKey: string) =>
    dynamo.doc.send(
      new DeleteCommand({
        TableName: dynamo.tables.of(CUSTOMERS_TABLE),
        Key: { customerId: `apikey#${hashApiKey(apiKey)}`, profileType: 'api-key' },
      }),
    );

  it('stores only the hash of the secret', async () => {
    const sellerId = await account(['seller']);
    const issued = await service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
    const { Items = [] } = await dynamo.doc.send(
      new ScanCommand({ TableName: dynamo.tables.of(CUSTOMERS_TABLE) }),
    );
    expect(JSON.stringify(Items)).not.toContain(issued.apiKey);
    const { Item } = await dynamo.doc.send(
      new GetCommand({
        TableName: dynamo.tables.of(CUSTOMERS_TABLE),
        Key: { customerId: `apikey#${hashApiKey(issued.apiKey)}`, profileType: 'api-key' },
      }),
    );
    expect(Item).toMatchObject({ apiKeyId: issued.apiKeyId, sellerId, scopes: ['catalog:feed'] });
  });

  it('issues keys only for seller accounts', async () => {
    for (const sellerId of [await account(['customer']), await account(['admin']), 'nobody']) {
      await expect(
        service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] }),
      ).rejects.toBeInstanceOf(NotFoundException);
    }
  });

  it('verifies a live key to its seller and scopes', async () => {
    const sellerId = await account(['seller']);
    const issued = await service.issue({
      name: 'Feed',
      sellerId,
      scopes: ['inventory:feed', 'catalog:feed'],
    });
    await expect(service.verify(issued.apiKey)).resolves.toEqual({
      apiKeyId: issued.apiKeyId,
      sellerId,
      scopes: ['inventory:feed', 'catalog:feed'],
    });
  });

  it('binds a key to the warehouse it was issued for: verified, listed and answered with it', async () => {
    const sellerId = await account(['seller']);
    const issued = await service.issue({
      name: 'EU warehouse',
      sellerId,
      scopes: ['fulfillment'],
      warehouseId: 'eu-west',
    });
    expect(issued).toMatchObject({ scopes: ['fulfillment'], warehouseId: 'eu-west' });
    await expect(service.verify(issued.apiKey)).resolves.toEqual({
      apiKeyId: issued.apiKeyId,
      sellerId,
      scopes: ['fulfillment'],
      warehouseId: 'eu-west',
    });
    const { items } = await service.list(100);
    expect(items.find((key) => key.apiKeyId === issued.apiKeyId)).toMatchObject({
      warehouseId: 'eu-west',
    });
  });

  it('issues a fulfillment key without a seller: a warehouse operator’s, acting for none', async () => {
    const issued = await service.issue({
      name: 'EU dock',
      scopes: ['fulfillment'],
      warehouseId: 'eu-west',
    });
    expect(issued).not.toHaveProperty('sellerId');
    await expect(service.verify(issued.apiKey)).resolves.toEqual({
      apiKeyId: issued.apiKeyId,
      scopes: ['fulfillment'],
      warehouseId: 'eu-west',
    });
    const { items } = await service.list(100);
    const listed = items.find((key) => key.apiKeyId === issued.apiKeyId);
    expect(listed).toMatchObject({ name: 'EU dock', scopes: ['fulfillment'] });
    expect(listed).not.toHaveProperty('sellerId');
  });

  it('refuses a feed key without a seller, even beside fulfillment', async () => {
    for (const scopes of [['inventory:feed'], ['catalog:feed', 'fulfillment']] as const) {
      await expect(service.issue({ name: 'Feed', scopes: [...scopes] })).rejects.toBeInstanceOf(
        BadRequestException,
      );
    }
  });

  it('still checks a given seller on a fulfillment key', async () => {
    await expect(
      service.issue({ name: 'EU dock', sellerId: 'nobody', scopes: ['fulfillment'] }),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('rejects unknown and malformed keys', async () => {
    await expect(service.verify(`mk_live_${'A'.repeat(43)}`)).resolves.toBeUndefined();
    await expect(service.verify('mk_live_short')).resolves.toBeUndefined();
    await expect(service.verify('')).resolves.toBeUndefined();
  });

  it('stops accepting a key revoked on another gateway once the cache entry expires', async () => {
    const sellerId = await account(['seller']);
    const { apiKey } = await service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
    await expect(service.verify(apiKey)).resolves.toBeDefined();

    await revokeElsewhere(apiKey);
    clock.advance(MAX_API_KEY_CACHE_TTL_MS - 1);
    await expect(service.verify(apiKey)).resolves.toBeDefined(); // still cached
    clock.advance(1);
    await expect(service.verify(apiKey)).resolves.toBeUndefined();
  });

  it('reads the table on every call when the cache TTL is 0', async () => {
    const uncached = new ApiKeysService(
      new ApiKeysRepository(dynamo.doc, dynamo.tables),
      customers,
      clock,
      0,
    );
    const sellerId = await account(['seller']);
    const { apiKey } = await uncached.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
    await expect(uncached.verify(apiKey)).resolves.toBeDefined();
    await revokeElsewhere(apiKey);
    await expect(uncached.verify(apiKey)).resolves.toBeUndefined();
  });

  it('caps the cache TTL at 5 seconds whatever it is given', async () => {
    const slow = new ApiKeysService(
      new ApiKeysRepository(dynamo.doc, dynamo.tables),
      customers,
      clock,
      60_000,
    );
    const sellerId = await account(['seller']);
    const { apiKey } = await slow.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
    await slow.verify(apiKey);
    await revokeElsewhere(apiKey);
    clock.advance(MAX_API_KEY_CACHE_TTL_MS);
    await expect(slow.verify(apiKey)).resolves.toBeUndefined();
  });

  it('revokes at once on this gateway, idempotently, and marks the listing', async () => {
    const sellerId = await account(['seller']);
    const issued = await service.issue({ name: 'Feed', sellerId, scopes: ['catalog:feed'] });
    await service.verify(issued.apiKey); // cached
    await service.revoke(issued.apiKeyId);
    await expect(service.verify(issued.apiKey)).resolves.toBeUndefined();
    await expect(service.revoke(issued.apiKeyId)).resolves.toBeUndefined();

    const { items } = await service.list(100);
    expect(items.find((key) => key.apiKeyId === issued.apiKeyId)).toMatchObject({
      revokedAt: new Date(clock.now()).toISOString(),
    });
  });

  it('answers 404 when revoking an unknown key', async () => {
    await expect(service.revoke('ak_zzzzzzzzzzzzzzzzzzzzzzzzzz')).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });

  it('lists newest first, page by page, without secrets or hashes', async () => {
    const sellerId = await account(['seller']);
    const ids: string[] = [];
    clock.advance(86_400_000); // later than every key the other tests issued
    for (const name of ['first', 'second', 'third']) {
      clock.advance(1_000);
      ids.push((await service.issue({ name, sellerId, scopes: ['catalog:feed'] })).apiKeyId);
    }
    const first = await service.list(2);
    expect(first.items.map((key) => key.apiKeyId)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await service.list(2, first.nextCursor ?? undefined);
    expect(second.items[0].apiKeyId).toBe(ids[0]);
    // Only this test's keys: the page after them holds older keys of other tests (bound to a
    // warehouse, or without a seller), whose fields differ.
    for (const key of [...first.items, ...second.items].filter((k) => ids.includes(k.apiKeyId))) {
      expect(Object.keys(key).sort()).toEqual(
        ['apiKeyId', 'createdAt', 'name', 'scopes', 'sellerId']
          .concat(key.revokedAt ? ['revokedAt'] : [])
          .sort(),
      );
    }
  });
});
