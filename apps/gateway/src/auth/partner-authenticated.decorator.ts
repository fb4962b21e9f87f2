import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { problem } from '@mercato/runtime';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import {
  DEFAULT_PARTNER_TOKEN_ROLES,
  PARTNER_SCOPE_KEY,
  PARTNER_TOKEN_ROLES_KEY,
  PartnerAuthGuard,
} from './partner-auth.guard';
import type { PartnerScope, PartnerTokenRole } from './partner-principal';

/** Name of the `X-Api-Key` header scheme in the OpenAPI document (see `buildOpenApiDocument`). */
export const API_KEY_SECURITY = 'apiKey';

/**
 * Protects a partner route (or every route of a controller): an `X-Api-Key` holding `scope`,
 * or a bearer token of a seller or admin. The caller is then `@CurrentPartner()`.
 * Documents both credentials (as alternatives) and the 401/403 answers in OpenAPI.
 *
 * `@PartnerAuthenticated('inventory:feed')`
 *
 * `tokenRoles` narrows whose tokens stand in for a key (default seller and admin):
 * `@PartnerAuthenticated('fulfillment', { tokenRoles: ['admin'] })` turns sellers away.
 */
export function PartnerAuthenticated(
  scope: PartnerScope,
  options: { tokenRoles?: readonly PartnerTokenRole[] } = {},
): MethodDecorator & ClassDecorator {
  const tokenRoles = options.tokenRoles ?? DEFAULT_PARTNER_TOKEN_ROLES;
  const tokens = tokenRoles.map((role) => `a${role === 'admin' ? 'n' : ''} ${role}'s`).join(' or ');
  return applyDecorators(
    SetMetadata(PARTNER_SCOPE_KEY, scope),
    SetMetadata(PARTNER_TOKEN_ROLES_KEY, tokenRoles),
    UseGuards(PartnerAuthGuard),
    ApiSecurity(API_KEY_SECURITY),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      type: ProblemDetailsDto,
      description:
        'Neither a valid X-Api-Key nor a valid bearer token (the API key is unknown or revoked, or the token is invalid or expired).',
      example: problem(401, 'The API key is invalid or revoked.'),
    }),
    ApiForbiddenResponse({
      type: ProblemDetailsDto,
      description: `The API key lacks the scope ${scope}, or the token is not ${tokens}.`,
      example: problem(403, `This API key lacks the scope ${scope}.`),
    }),
  );
}
