import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { problem } from '@mercato/runtime';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { PARTNER_SCOPE_KEY, PartnerAuthGuard } from './partner-auth.guard';
import type { PartnerScope } from './partner-principal';

/** Name of the `X-Api-Key` header scheme in the OpenAPI document (see `buildOpenApiDocument`). */
export const API_KEY_SECURITY = 'apiKey';

/**
 * Protects a partner route (or every route of a controller): an `X-Api-Key` holding `scope`,
 * or a bearer token of a seller or admin. The caller is then `@CurrentPartner()`.
 * Documents both credentials (as alternatives) and the 401/403 answers in OpenAPI.
 *
 * `@PartnerAuthenticated('inventory:feed')`
 */
export function PartnerAuthenticated(scope: PartnerScope): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(PARTNER_SCOPE_KEY, scope),
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
      description: `The API key lacks the scope ${scope}, or the token is not a seller's or an admin's.`,
      example: problem(403, `This API key lacks the scope ${scope}.`),
    }),
  );
}
