import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AccessTokenVerifier,
  type AuthenticatedUser,
  type AuthRequest,
} from './authenticated-user';
import { JwtAuthGuard } from './jwt-auth.guard';
import { Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

const ann: AuthenticatedUser = { customerId: 'c-ann', roles: ['customer'], region: 'eu' };

class StubVerifier extends AccessTokenVerifier {
  async verify(token: string): Promise<AuthenticatedUser> {
    if (token !== 'good-token') throw new Error('bad signature');
    return ann;
  }
}

class Routes {
  open(): void {}
  @Roles('admin')
  adminOnly(): void {}
  @Roles('seller', 'admin')
  sellers(): void {}
}

function contextFor(request: AuthRequest, handler: keyof Routes = 'open'): ExecutionContext {
  return {
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
  } as unknown as ExecutionContext;
}

describe('JwtAuthGuard', () => {
  const guard = new JwtAuthGuard(new StubVerifier());

  it('puts the verified caller on the request', async () => {
    const request: AuthRequest = { headers: { authorization: 'Bearer good-token' } };
    await expect(guard.canActivate(contextFor(request))).resolves.toBe(true);
    expect(request.user).toEqual(ann);
  });

  it.each([
    ['no header', {}],
    ['another scheme', { authorization: 'Basic Z29vZC10b2tlbg==' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['a bad token', { authorization: 'Bearer forged' }],
  ])('answers 401 for %s', async (_case, headers) => {
    const request: AuthRequest = { headers };
    await expect(guard.canActivate(contextFor(request))).rejects.toBeInstanceOf(
      UnauthorizedException,
    );
    expect(request.user).toBeUndefined();
  });
});

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());
  const as = (roles: AuthenticatedUser['roles']): AuthRequest => ({
    headers: {},
    user: { ...ann, roles },
  });

  it('lets any authenticated caller through a route without @Roles', () => {
    expect(guard.canActivate(contextFor(as(['customer']), 'open'))).toBe(true);
  });

  it('answers 403 when the caller holds none of the required roles', () => {
    expect(() => guard.canActivate(contextFor(as(['customer']), 'adminOnly'))).toThrow(
      ForbiddenException,
    );
  });

  it('accepts any one of the required roles', () => {
    expect(guard.canActivate(contextFor(as(['admin']), 'adminOnly'))).toBe(true);
    expect(guard.canActivate(contextFor(as(['seller']), 'sellers'))).toBe(true);
  });

  it('answers 401, not 403, when no guard authenticated the caller first', () => {
    expect(() => guard.canActivate(contextFor({ headers: {} }, 'adminOnly'))).toThrow(
      UnauthorizedException,
    );
  });
});
