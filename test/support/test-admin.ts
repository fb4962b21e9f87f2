/**
 * The admin account every test store is started with: the store has no built-in admin
 * password (without MERCATO_ADMIN_PASSWORD it generates one and prints it once), so the tests
 * and the stacks they start pass this one in MERCATO_ADMIN_PASSWORD.
 */
export const ADMIN = { email: 'admin@mercato.local', password: 'e2e-admin-password-2026' };

/** The environment that gives a store under test the known admin account. */
export const ADMIN_ENV = {
  MERCATO_ADMIN_EMAIL: ADMIN.email,
  MERCATO_ADMIN_PASSWORD: ADMIN.password,
};
