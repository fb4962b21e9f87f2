import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthRequest, Role } from './authenticated-user';
import { ROLES_KEY } from './roles.decorator';

/**
 * Enforces `@Roles(...)`: 403 when the authenticated caller holds none of them. Runs after
 * `JwtAuthGuard`; a route without `@Roles` is open to every authenticated caller.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required?.length) return true;
    const { user } = context.switchToHttp().getRequest<AuthRequest>();
    if (!user) throw new UnauthorizedException('A bearer access token is required.');
    if (!required.some((role) => user.roles.includes(role))) {
      throw new ForbiddenException(`This operation requires the role ${required.join(' or ')}.`);
    }
    return true;
  }
}
