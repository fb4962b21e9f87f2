import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenVerifier, type AuthenticatedUser } from './authenticated-user';
import { JwtAuthGuard } from './jwt-auth.guard';
import { PartnerAuthGuard } from './partner-auth.guard';
import { PartnerAuthenticated } from './partner-authenticated.decorator';
import {
  ApiKeyVerifier,
  feedSellerId,
  type PartnerRequest,
  type VerifiedApiKey,
} from './partner-principal';

const users: Record<string, AuthenticatedUser> = {
  'seller-token': { customerId: 's-1', roles: ['seller'], region: 'eu' },
  'admin-token': { customerId: 'a-1', roles: ['admin'], region: 'us' },
  'customer-token': { customerId: 'c-1', roles: ['customer'], region: 'us' },
};

class StubTokens extends AccessTokenVerifier {
  async verify(token: string): Promise<AuthenticatedUser> {
    const user = users[token];
    if (!user) throw new Error('bad signature');
    return user;
  }
}

const liveKeys: Record<string, VerifiedApiKey> = {
  mk_live_good: { apiKeyId: 'ak_1', sellerId: 's-9', scopes: ['inventory:feed'] },
  mk_live_warehouse: {
    apiKeyId: 'ak_2',
    sellerId: 's-9',
    scopes: ['fulfillment'],
    warehouseId: 'eu-west',
  },
  mk_live_operator: { apiKeyId: 'ak_3', scopes: ['fulfillment'] },
};
class StubApiKeys extends ApiKeyVerifier {
  async verify(apiKey: string): Promise<VerifiedApiKey | undefined> {
    return liveKeys[apiKey];
  }
}

class Routes {
  @PartnerAuthenticated('inventory:feed')
  inventory(): void {}
  @PartnerAuthenticated('catalog:feed')
  catalog(): void {}
  @PartnerAuthenticated('fulfillment', { tokenRoles: ['admin'] })
  fulfillment(): void {}
  unscoped(): void {}
}

function contextFor(request: PartnerRequest, handler: keyof Routes): ExecutionContext {
  return {
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
  } as unknown as ExecutionContext;
}

describe('PartnerAuthGuard', () => {
  const guard = new PartnerAuthGuard(
    new Reflector(),
    new JwtAuthGuard(new StubTokens()),
    new StubApiKeys(),
  );
  const run = async (headers: PartnerRequest['headers'], handler: keyof Routes = 'inventory') => {
    const request: PartnerRequest = { headers };
    await guard.canActivate(contextFor(request, handler));
    return request;
  };

  it('accepts an API key holding the scope, as its seller', async () => {
    const request = await run({ 'x-api-key': 'mk_live_good' });
    expect(request.partner).toEqual({
      sellerId: 's-9',
      via: 'api-key',
      isAdmin: false,
      apiKeyId: 'ak_1',
    });
  });

  it('answers 403 to an API key without the scope', async () => {
    await expect(run({ 'x-api-key': 'mk_live_good' }, 'catalog')).rejects.toBeInstanceOf(
      ForbiddenException,
    );
  });

  it.each([
    ['an unknown key', { 'x-api-key': 'mk_live_bad' }],
    ['an empty key', { 'x-api-key': '' }],
    ['a repeated header', { 'x-api-key': ['mk_live_good', 'mk_live_good'] }],
    [
      'a bad key beside a good token',
      { 'x-api-key': 'mk_live_bad', authorization: 'Bearer seller-token' },
    ],
    ['no credentials', {}],
    ['a bad token', { authorization: 'Bearer forged' }],
    ['another scheme', { authorization: 'Basic c2VsbGVyLXRva2Vu' }],
  ])('answers 401 for %s', async (_case, headers) => {
    await expect(run(headers)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('accepts a seller token for any scope, as that seller', async () => {
    const request = await run({ authorization: 'Bearer seller-token' }, 'catalog');
    expect(request.partner).toEqual({ sellerId: 's-1', via: 'token', isAdmin: false });
    expect(request.user).toEqual(users['seller-token']);
  });

  it('accepts an admin token, flagged as admin', async () => {
    const request = await run({ authorization: 'Bearer admin-token' });
    expect(request.partner).toEqual({ sellerId: 'a-1', via: 'token', isAdmin: true });
  });

  it('answers 403 to a customer token', async () => {
    await expect(run({ authorization: 'Bearer customer-token' })).rejects.toBeInstanceOf(
      ForbiddenException,
    );
  });

  describe('on a route that accepts admin tokens only', () => {
    it('answers 403 to a seller token', async () => {
      await expect(
        run({ authorization: 'Bearer seller-token' }, 'fulfillment'),
      ).rejects.toBeInstanceOf(ForbiddenException);
    });

    it('accepts an admin token', async () => {
      const request = await run({ authorization: 'Bearer admin-token' }, 'fulfillment');
      expect(request.partner).toEqual({ sellerId: 'a-1', via: 'token', isAdmin: true });
    });

    it('accepts a key with the scope, carrying the warehouse the key is bound to', async () => {
      const request = await run({ 'x-api-key': 'mk_live_warehouse' }, 'fulfillment');
      expect(request.partner).toEqual({
        sellerId: 's-9',
        via: 'api-key',
        isAdmin: false,
        apiKeyId: 'ak_2',
        warehouseId: 'eu-west',
      });
    });

    it('accepts a warehouse operator’s key, which acts for no seller', async () => {
      const request = await run({ 'x-api-key': 'mk_live_operator' }, 'fulfillment');
      expect(request.partner).toEqual({ via: 'api-key', isAdmin: false, apiKeyId: 'ak_3' });
    });

    it('answers 403 to a key without the scope', async () => {
      await expect(run({ 'x-api-key': 'mk_live_good' }, 'fulfillment')).rejects.toBeInstanceOf(
        ForbiddenException,
      );
    });
  });

  it('fails closed on a route that declares no scope', async () => {
    await expect(run({ 'x-api-key': 'mk_live_good' }, 'unscoped')).rejects.toThrow(
      /PartnerAuthenticated/,
    );
  });
});

describe('feedSellerId', () => {
  it('is the seller of a key or a token', () => {
    expect(
      feedSellerId({ via: 'api-key', isAdmin: false, apiKeyId: 'ak_1', sellerId: 's-9' }),
    ).toBe('s-9');
    expect(feedSellerId({ via: 'token', isAdmin: false, sellerId: 's-1' })).toBe('s-1');
  });

  it('refuses a key that acts for no seller rather than writing a feed under none', () => {
    expect(() => feedSellerId({ via: 'api-key', isAdmin: false, apiKeyId: 'ak_3' })).toThrow(
      ForbiddenException,
    );
  });
});
