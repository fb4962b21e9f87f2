import { ConflictException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import {
  FakeClock,
  fastHasher,
  testConfig,
  testTokens,
} from '../../test/support/identity-test-support';
import { InMemoryCustomers } from '../../test/support/in-memory-identity';
import { IdentityService } from './identity.service';
import { PasswordHasher } from './password.hasher';
import type { TokenService } from './token.service';

/**
 * The account, sign-in and session rules of IdentityService, on an in-memory Customers store
 * (no table: identity.service.spec.ts runs the same service on dynalite).
 */
describe('identity rules (in memory)', () => {
  const PASSWORD = 'correct-horse-battery';
  const REFRESH_TTL_MS = testConfig().JWT_REFRESH_TTL_SECONDS * 1000;
  let tokens: TokenService;
  let clock: FakeClock;
  let customers: InMemoryCustomers;
  let identity: IdentityService;

  beforeAll(async () => {
    clock = new FakeClock();
    ({ tokens } = await testTokens(testConfig(), clock));
  });

  beforeEach(() => {
    customers = new InMemoryCustomers();
    identity = new IdentityService(customers.asRepository(), fastHasher(), tokens, clock);
  });

  const ann = (email = 'ann@example.com') => ({
    email,
    password: PASSWORD,
    name: 'Ann Lee',
    region: 'eu' as const,
  });
  const failure = (attempt: Promise<unknown>) =>
    attempt.then(
      () => undefined,
      (e: unknown) => e,
    );

  describe('accounts', () => {
    it('are keyed by the email trimmed and lower-cased: a second one for it is a conflict', async () => {
      const { customerId } = await identity.register(ann('  Ann@Example.COM '));
      expect(await customers.findEmailOwner('ann@example.com')).toBe(customerId);
      expect((await identity.getProfile(customerId)).email).toBe('ann@example.com');
      await expect(identity.register(ann('ANN@example.com'))).rejects.toBeInstanceOf(
        ConflictException,
      );
    });

    it('get the role of the door they came through: customer or seller', async () => {
      const { customerId } = await identity.register(ann());
      const { sellerId } = await identity.createSeller(ann('shop@example.com'));
      expect((await identity.getProfile(customerId)).roles).toEqual(['customer']);
      expect((await identity.getProfile(sellerId)).roles).toEqual(['seller']);
    });

    it('store a hash of the password, never the password, and never show the hash', async () => {
      const { customerId } = await identity.register(ann());
      const stored = customers.profiles.get(customerId)!.passwordHash;
      expect(stored).toMatch(/^scrypt\$/);
      expect(stored).not.toContain(PASSWORD);
      expect(await identity.getProfile(customerId)).not.toHaveProperty('passwordHash');
    });

    it('lose a race for the email claim without leaving their profile behind', async () => {
      const { customerId: winner } = await identity.register(ann());
      // The loser read "free" before the winner claimed it.
      jest.spyOn(customers, 'findEmailOwner').mockResolvedValueOnce(undefined);
      await expect(identity.createAccount(ann(), ['customer'])).resolves.toEqual({
        created: false,
      });
      expect([...customers.profiles.keys()]).toEqual([winner]);
    });

    it('do not let a crash before the email claim block the email', async () => {
      jest.spyOn(customers, 'claimEmail').mockRejectedValueOnce(new Error('process died'));
      await expect(identity.register(ann())).rejects.toThrow('process died');
      const { customerId } = await identity.register(ann());
      await expect(identity.login('ann@example.com', PASSWORD)).resolves.toHaveProperty(
        'accessToken',
      );
      expect(await customers.findEmailOwner('ann@example.com')).toBe(customerId);
    });
  });

  describe('sign-in', () => {
    it('answers a wrong password, an unknown email and a mismatched claim with the same 401', async () => {
      const { customerId } = await identity.register(ann());
      await identity.register(ann('bob@example.com'));
      // A claim that does not point back at a profile of that email lets nobody in.
      customers.emailOwners.set('bob@example.com', customerId);
      const answers = await Promise.all([
        failure(identity.login('ann@example.com', 'not-the-password')),
        failure(identity.login('nobody@example.com', PASSWORD)),
        failure(identity.login('bob@example.com', PASSWORD)),
      ]);
      for (const answer of answers) expect(answer).toBeInstanceOf(UnauthorizedException);
      expect(new Set(answers.map((a) => (a as Error).message)).size).toBe(1);
    });

    it('runs the password hash for an unknown email too, so timing tells nothing', async () => {
      const hasher = fastHasher();
      const verify = jest.spyOn(hasher, 'verify');
      const service = new IdentityService(customers.asRepository(), hasher, tokens, clock);
      await failure(service.login('nobody@example.com', 'whatever-password'));
      expect(verify).toHaveBeenCalledWith('whatever-password', expect.stringMatching(/^scrypt\$/));
    });

    it('re-hashes a password stored with older hash parameters, and only then', async () => {
      const { customerId } = await identity.register(ann());
      const stronger = new PasswordHasher({ N: 2 ** 11, r: 8, p: 1 });
      const service = new IdentityService(customers.asRepository(), stronger, tokens, clock);
      await service.login('ann@example.com', PASSWORD);
      const rehashed = customers.profiles.get(customerId)!.passwordHash;
      expect(PasswordHasher.parameters(rehashed)).toEqual({ N: 2 ** 11, r: 8, p: 1 });
      await service.login('ann@example.com', PASSWORD);
      expect(customers.profiles.get(customerId)!.passwordHash).toBe(rehashed);
    });

    it('issues an access token with the profile’s roles and region, and a stored refresh token', async () => {
      const { customerId } = await identity.register(ann());
      const issued = await identity.login('ann@example.com', PASSWORD);
      await expect(tokens.verify(issued.accessToken)).resolves.toEqual({
        customerId,
        roles: ['customer'],
        region: 'eu',
      });
      expect(customers.refreshTokens.get(customerId)?.size).toBe(1);
    });
  });

  describe('refresh tokens', () => {
    it('work once: a refresh answers a new pair and the used token is spent', async () => {
      await identity.register(ann());
      const first = await identity.login('ann@example.com', PASSWORD);
      const second = await identity.refresh(first.refreshToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await expect(identity.refresh(first.refreshToken)).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
    });

    it('work until their expiry instant, not from it', async () => {
      await identity.register(ann());
      const early = await identity.login('ann@example.com', PASSWORD);
      const late = await identity.login('ann@example.com', PASSWORD);
      clock.advance(REFRESH_TTL_MS - 1000);
      await expect(identity.refresh(early.refreshToken)).resolves.toHaveProperty('accessToken');
      clock.advance(1000);
      await expect(identity.refresh(late.refreshToken)).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
    });

    it('are refused when malformed, forged, or their account is gone', async () => {
      const { customerId } = await identity.register(ann());
      const { refreshToken } = await identity.login('ann@example.com', PASSWORD);
      await expect(identity.refresh('garbage')).rejects.toBeInstanceOf(UnauthorizedException);
      await expect(identity.refresh(`${customerId}.${'A'.repeat(43)}`)).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
      await customers.deleteProfile(customerId);
      await expect(identity.refresh(refreshToken)).rejects.toBeInstanceOf(UnauthorizedException);
    });

    it('carry the profile as it is now: a changed region shows at the next refresh', async () => {
      const { customerId } = await identity.register(ann());
      const { refreshToken } = await identity.login('ann@example.com', PASSWORD);
      await identity.updateProfile(customerId, { region: 'ap' });
      const refreshed = await identity.refresh(refreshToken);
      await expect(tokens.verify(refreshed.accessToken)).resolves.toMatchObject({ region: 'ap' });
    });
  });

  describe('profiles', () => {
    it('answer 404 for a customer without one, read or update', async () => {
      await expect(identity.getProfile('nobody')).rejects.toBeInstanceOf(NotFoundException);
      await expect(identity.updateProfile('nobody', { name: 'X' })).rejects.toBeInstanceOf(
        NotFoundException,
      );
    });
  });

  describe('the admin account', () => {
    it('is created once, however often it is ensured', async () => {
      const first = await identity.ensureAdmin('Admin@Example.com', 'admin-password-1');
      const again = await identity.ensureAdmin('admin@example.com', 'another-password');
      expect(first.outcome).toBe('created');
      expect(again).toEqual({ outcome: 'exists', customerId: first.customerId });
      // The configuration alone never changes an existing admin's password.
      await expect(identity.login('admin@example.com', 'admin-password-1')).resolves.toBeDefined();
      expect((await identity.getProfile(first.customerId)).roles).toEqual(['admin']);
    });

    it('never takes over, or resets, an account of that email that is not an admin', async () => {
      const { customerId } = await identity.register(ann('admin@example.com'));
      expect(await identity.ensureAdmin('admin@example.com', 'admin-password-1')).toEqual({
        outcome: 'taken-by-non-admin',
        customerId,
      });
      expect(await identity.resetAdminPassword('admin@example.com', 'admin-password-1')).toEqual({
        outcome: 'taken-by-non-admin',
        customerId,
      });
      expect((await identity.getProfile(customerId)).roles).toEqual(['customer']);
      await expect(identity.login('admin@example.com', PASSWORD)).resolves.toBeDefined();
    });

    it('gets a new password on reset, and its sessions end at their next refresh', async () => {
      await identity.ensureAdmin('admin@example.com', 'old-password');
      const session = await identity.login('admin@example.com', 'old-password');
      const reset = await identity.resetAdminPassword('admin@example.com', 'new-password');
      expect(reset.outcome).toBe('reset');
      await expect(identity.refresh(session.refreshToken)).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
      await expect(identity.login('admin@example.com', 'old-password')).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
      await expect(identity.login('admin@example.com', 'new-password')).resolves.toBeDefined();
    });

    it('is created by a reset when there is none yet', async () => {
      const reset = await identity.resetAdminPassword('admin@example.com', 'new-password');
      expect(reset.outcome).toBe('created');
      await expect(identity.login('admin@example.com', 'new-password')).resolves.toBeDefined();
    });
  });
});
