import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard';
import {
  ApiKeyVerifier,
  type PartnerPrincipal,
  type PartnerRequest,
  type PartnerScope,
  type PartnerTokenRole,
} from './partner-principal';

export const PARTNER_SCOPE_KEY = 'mercato:partner-scope';
export const PARTNER_TOKEN_ROLES_KEY = 'mercato:partner-token-roles';

/** The token roles a partner route accepts when it says nothing. */
export const DEFAULT_PARTNER_TOKEN_ROLES: readonly PartnerTokenRole[] = ['seller', 'admin'];
export const API_KEY_HEADER = 'x-api-key';

/**
 * Guards partner routes (seller feeds, integrations); use it through `@PartnerAuthenticated`.
 *
 * Accepts either credential, and puts the caller on `request.partner`:
 * - `X-Api-Key`: a live key holding the route's scope (401 unknown or revoked, 403 without the
 *   scope). When the header is present it decides alone: a bad key is not rescued by a token.
 * - `Authorization: Bearer`: an access token of a seller or an admin (401 invalid, 403 for
 *   any other role); such callers hold every scope. `request.user` is set as well. A route
 *   may narrow the roles (`tokenRoles: ['admin']`) where acting for one seller makes no sense.
 */
@Injectable()
export class PartnerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtAuthGuard,
    private readonly apiKeys: ApiKeyVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<PartnerScope | undefined>(PARTNER_SCOPE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!scope) {
      // A wiring mistake, not a caller's: fail closed and loudly.
      throw new Error('PartnerAuthGuard needs a scope: use @PartnerAuthenticated(scope)');
    }
    const tokenRoles =
      this.reflector.getAllAndOverride<readonly PartnerTokenRole[] | undefined>(
        PARTNER_TOKEN_ROLES_KEY,
        [context.getHandler(), context.getClass()],
      ) ?? DEFAULT_PARTNER_TOKEN_ROLES;
    const request = context.switchToHttp().getRequest<PartnerRequest>();
    const apiKey = request.headers[API_KEY_HEADER];
    const authorization = request.headers.authorization;

    if (apiKey !== undefined) {
      request.partner = await this.byApiKey(apiKey, scope);
    } else if (typeof authorization === 'string' && authorization.trim()) {
      request.partner = await this.byToken(context, request, tokenRoles);
    } else {
      throw new UnauthorizedException('An X-Api-Key header or a bearer access token is required.');
    }
    return true;
  }

  private async byApiKey(
    header: string | string[],
    scope: PartnerScope,
  ): Promise<PartnerPrincipal> {
    const key = typeof header === 'string' ? header.trim() : '';
    const verified = key ? await this.apiKeys.verify(key) : undefined;
    if (!verified) throw new UnauthorizedException('The API key is invalid or revoked.');
    if (!verified.scopes.includes(scope)) {
      throw new ForbiddenException(`This API key lacks the scope ${scope}.`);
    }
    return {
      ...(verified.sellerId !== undefined ? { sellerId: verified.sellerId } : {}),
      via: 'api-key',
      isAdmin: false,
      apiKeyId: verified.apiKeyId,
      ...(verified.warehouseId ? { warehouseId: verified.warehouseId } : {}),
    };
  }

  /** A bearer token, checked by JwtAuthGuard (which also sets `request.user`). */
  private async byToken(
    context: ExecutionContext,
    request: PartnerRequest,
    accepted: readonly PartnerTokenRole[],
  ): Promise<PartnerPrincipal> {
    await this.jwt.canActivate(context);
    const { customerId, roles } = request.user!;
    if (!accepted.some((role) => roles.includes(role))) {
      throw new ForbiddenException(`This operation requires the role ${accepted.join(' or ')}.`);
    }
    const isAdmin = roles.includes('admin');
    return { sellerId: customerId, via: 'token', isAdmin };
  }
}
