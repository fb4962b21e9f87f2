import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { PartnerPrincipal, PartnerRequest } from './partner-principal';

/** The partner proven by `@PartnerAuthenticated`: `{ sellerId?, via, isAdmin, apiKeyId? }`. */
export const CurrentPartner = createParamDecorator(
  (_data: unknown, context: ExecutionContext): PartnerPrincipal => {
    const { partner } = context.switchToHttp().getRequest<PartnerRequest>();
    // Only reachable when a route forgot the guard: fail closed rather than hand out undefined.
    if (!partner) {
      throw new UnauthorizedException('An X-Api-Key header or a bearer access token is required.');
    }
    return partner;
  },
);
