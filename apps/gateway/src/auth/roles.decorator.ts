import { SetMetadata } from '@nestjs/common';
import type { Role } from './authenticated-user';

export const ROLES_KEY = 'mercato:roles';

/** Restricts a route (or every route of a controller) to callers holding one of these roles. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);
