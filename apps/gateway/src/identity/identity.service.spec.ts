import { ConflictException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { CustomersRepository } from './customers.repository';
import { IdentityService } from './identity.service';
import { FakeClock, fastHasher, testTokens } from '../../test/support/identity-test-support';
import type { TokenService } from './token.service';
import { CUSTOMERS_TABLE, IDENTITY_TABLES } from './identity.tables';

describe('IdentityService (on dynalite)', () => {
  let dynamo: TestDynamo;
  let repository: CustomersRepository;
  let tokens: TokenService;
  let clock: FakeClock;
  let identity: IdentityService;

  beforeAll(async () => {
    dynamo = await startTestDynamo(IDENTITY_TABLES);
  });
  afterAll(() => dynamo.close());

  beforeEach(async () => {
    ({ tokens, clock } = await testTokens());
    repository = new CustomersRepository(dynamo.doc, dynamo.tables);
    identity = new IdentityService(repository, fastHasher(), tokens, clock);
    await identity.onModuleInit();
  });

  let n = 0;
  const uniqueEmail = () => `ann.${++n}.${Date.now()}@example.com`;
  const ann = (email = uniqueEmail()) => ({
    email,
    password: 'correct-horse-battery',
    name: 'Ann Lee',
    region: 'eu' as const,
  });

  describe('register', () => {
    it('creates a customer whose profile has the customer role', async () => {
      const account = ann();
      const { customerId } = await identity.register(account);
      const profile = await identity.getProfile(customerId);
      expect(profile).toEqual({
        customerId,
        email: account.email,
        name: 'Ann Lee',
        region: 'eu',
        roles: ['customer'],
        preferences: {},
        addresses: [],
        createdAt: new Date(clock.now()).toISOString(),
      });
      expect(profile).not.toHaveProperty('passwordHash');
    });

    it('rejects a second account with the same email, whatever its case and spaces', async () => {
      const email = uniqueEmail();
      await identity.register(ann(email));
      await expect(identity.register(ann(`  ${email.toUpperCase()} `))).rejects.toBeInstanceOf(
        ConflictException,
      );
    });

    it('lets exactly one of two concurrent registrations win and leaves no orphan profile', async () => {
      const email = uniqueEmail();
      const results = await Promise.allSettled([
        identity.register(ann(email)),
        identity.register(ann(email)),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictException);
      const { Items } = await dynamo.doc.send(
        new ScanCommand({
          TableName: dynamo.tables.of(CUSTOMERS_TABLE),
          FilterExpression: 'email = :email AND profileType = :profile',
          ExpressionAttributeValues: { ':email': email, ':profile': 'profile' },
        }),
      );
      expect(Items).toHaveLength(1);
    });

    it('does not let a crash between the profile and the email claim block the email', async () => {
      const email = uniqueEmail();
      // The crash: a profile was written, the claim never was.
      await repository.createProfile({
        customerId: 'orphan-1',
        email,
        name: 'Half written',
        region: 'us',
        roles: ['customer'],
        passwordHash:
          'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        createdAt: new Date(clock.now()).toISOString(),
      });
      const { customerId } = await identity.register(ann(email));
      expect(customerId).not.toBe('orphan-1');
      await expect(identity.login(email, 'correct-horse-battery')).resolves.toHaveProperty(
        'accessToken',
      );
    });
  });

  describe('login', () => {
    it('returns tokens whose access token names the customer, roles and region', async () => {
      const account = ann();
      const { customerId } = await identity.register(account);
      const result = await identity.login(account.email.toUpperCase(), account.password);
      expect(result.expiresIn).toBe(900);
      await expect(tokens.verify(result.accessToken)).resolves.toEqual({
        customerId,
        roles: ['customer'],
        region: 'eu',
      });
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const account = ann();
      await identity.register(account);
      const wrong = await identity
        .login(account.email, 'not-the-password')
        .catch((e: unknown) => e);
      const unknown = await identity
        .login(uniqueEmail(), account.password)
        .catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(UnauthorizedException);
      expect(unknown).toBeInstanceOf(UnauthorizedException);
      expect((wrong as Error).message).toBe((unknown as Error).message);
    });

    it('still runs the KDF for an unknown email', async () => {
      const hasher = fastHasher();
      const verify = jest.spyOn(hasher, 'verify');
      const service = new IdentityService(repository, hasher, tokens, clock);
      await expect(service.login(uniqueEmail(), 'whatever-password')).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
      expect(verify).toHaveBeenCalledWith('whatever-password', expect.stringMatching(/^scrypt\$/));
    });
  });

  describe('refresh', () => {
    it('rotates: the new refresh token works, the used one is rejected', async () => {
      const account = ann();
      await identity.register(account);
      const first = await identity.login(account.email, account.password);
      const second = await identity.refresh(first.refreshToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await expect(identity.refresh(first.refreshToken)).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
      await expect(identity.refresh(second.refreshToken)).resolves.toHaveProperty('accessToken');
    });

    it('accepts one of two concurrent uses of the same token', async () => {
      const account = ann();
      await identity.register(account);
      const { refreshToken } = await identity.login(account.email, account.password);
      const results = await Promise.allSettled([
        identity.refresh(refreshToken),
        identity.refresh(refreshToken),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    });

    it('rejects an expired, forged or malformed refresh token', async () => {
      const account = ann();
      const { customerId } = await identity.register(account);
      const { refreshToken } = await identity.login(account.email, account.password);
      await expect(identity.refresh(`${customerId}.${'A'.repeat(43)}`)).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
      await expect(identity.refresh('garbage')).rejects.toBeInstanceOf(UnauthorizedException);
      clock.advance(30 * 24 * 3600 * 1000 + 1000);
      await expect(identity.refresh(refreshToken)).rejects.toBeInstanceOf(UnauthorizedException);
    });

    it('puts the current region in the refreshed access token', async () => {
      const account = ann();
      const { customerId } = await identity.register(account);
      const { refreshToken } = await identity.login(account.email, account.password);
      await identity.updateProfile(customerId, { region: 'ap' });
      const refreshed = await identity.refresh(refreshToken);
      await expect(tokens.verify(refreshed.accessToken)).resolves.toMatchObject({ region: 'ap' });
    });
  });

  describe('profile', () => {
    it('replaces given fields, merges preferences and keeps the rest', async () => {
      const account = ann();
      const { customerId } = await identity.register(account);
      await identity.updateProfile(customerId, {
        preferences: { language: 'en-IE', currency: 'EUR' },
      });
      clock.advance(1000);
      const address = {
        recipient: 'Ann Lee',
        line1: '1 Main Street',
        city: 'Dublin',
        postalCode: 'D02 X285',
        country: 'IE',
      };
      const updated = await identity.updateProfile(customerId, {
        name: 'Ann Lee-Smith',
        preferences: { marketingEmails: true, language: 'ga' },
        addresses: [address],
      });
      expect(updated).toMatchObject({
        customerId,
        email: account.email,
        name: 'Ann Lee-Smith',
        region: 'eu',
        preferences: { language: 'ga', currency: 'EUR', marketingEmails: true },
        addresses: [address],
      });
      await expect(identity.getProfile(customerId)).resolves.toEqual(updated);
    });

    it('answers 404 for a customer without a profile', async () => {
      await expect(identity.getProfile('nobody')).rejects.toBeInstanceOf(NotFoundException);
      await expect(identity.updateProfile('nobody', { name: 'X' })).rejects.toBeInstanceOf(
        NotFoundException,
      );
    });
  });

  describe('ensureAdmin', () => {
    it('creates the admin once, however many times or processes run it', async () => {
      const email = uniqueEmail();
      const other = new IdentityService(repository, fastHasher(), tokens, clock);
      const [a, b] = await Promise.all([
        identity.ensureAdmin(email, 'admin-password-1'),
        other.ensureAdmin(email, 'admin-password-1'),
      ]);
      expect([a.outcome, b.outcome].sort()).toEqual(['created', 'exists']);
      expect(a.customerId).toBe(b.customerId);

      const again = await identity.ensureAdmin(` ${email.toUpperCase()}`, 'a-different-password');
      expect(again).toEqual({ outcome: 'exists', customerId: a.customerId });

      const { accessToken } = await identity.login(email, 'admin-password-1');
      await expect(tokens.verify(accessToken)).resolves.toMatchObject({ roles: ['admin'] });
    });

    it('does not turn an existing customer into an admin', async () => {
      const account = ann();
      const { customerId } = await identity.register(account);
      await expect(identity.ensureAdmin(account.email, 'admin-password-1')).resolves.toEqual({
        outcome: 'taken-by-non-admin',
        customerId,
      });
    });
  });
});
