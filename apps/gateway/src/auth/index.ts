export * from './authenticated-user';
export * from './jwt-auth.guard';
export * from './roles.decorator';
export * from './roles.guard';
export * from './current-user.decorator';
export * from './authenticated.decorator';
