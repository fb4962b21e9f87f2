import { ProblemDetailsDto } from '../common/problem-details.dto';
import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './authenticated-user';
import { JwtAuthGuard } from './jwt-auth.guard';
import { Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

/**
 * One decorator for a protected route or controller: bearer token required (401), and when
 * roles are given, one of them (403). Also documents both in the OpenAPI document.
 *
 * `@Authenticated()` — any signed-in caller; `@Authenticated('admin')` — admins only.
 */
export function Authenticated(...roles: Role[]): MethodDecorator & ClassDecorator {
  const decorators = [
    UseGuards(JwtAuthGuard, RolesGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      type: ProblemDetailsDto,
      description: 'Missing, invalid or expired bearer token.',
    }),
  ];
  if (roles.length) {
    decorators.push(
      Roles(...roles),
      ApiForbiddenResponse({
        type: ProblemDetailsDto,
        description: `Requires the role ${roles.join(' or ')}.`,
      }),
    );
  }
  return applyDecorators(...decorators);
}
