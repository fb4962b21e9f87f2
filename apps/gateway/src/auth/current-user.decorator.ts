import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { AuthenticatedUser, AuthRequest } from './authenticated-user';

/** The caller proven by `JwtAuthGuard`: `{ customerId, roles, region }`. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const { user } = context.switchToHttp().getRequest<AuthRequest>();
    // Only reachable when a route forgot the guard: fail closed rather than hand out undefined.
    if (!user) throw new UnauthorizedException('A bearer access token is required.');
    return user;
  },
);

/** The caller on a route open to anyone (`OptionalAuthGuard`): undefined without a token. */
export const OptionalCurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser | undefined =>
    context.switchToHttp().getRequest<AuthRequest>().user,
);
