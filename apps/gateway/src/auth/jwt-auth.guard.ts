import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AccessTokenVerifier, type AuthRequest } from './authenticated-user';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Requires `Authorization: Bearer <access token>` and puts the verified caller on
 * `request.user`. Every failure is the same 401 so a client learns nothing about why.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw new UnauthorizedException('A bearer access token is required.');
    try {
      request.user = await this.verifier.verify(match[1]);
    } catch {
      throw new UnauthorizedException('The access token is invalid or expired.');
    }
    return true;
  }
}
