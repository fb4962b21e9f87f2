import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthRequest } from './authenticated-user';
import { JwtAuthGuard } from './jwt-auth.guard';

/**
 * For public routes that read better with a signed-in caller (docs/api.md: a signed-in caller's
 * region is the default): without an Authorization header the request goes on anonymously;
 * with one, the token must be valid (401 otherwise) and the caller is on `request.user`.
 */
@Injectable()
export class OptionalAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtAuthGuard) {}

  canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    if (request.headers.authorization === undefined) return true;
    return this.jwt.canActivate(context);
  }
}
