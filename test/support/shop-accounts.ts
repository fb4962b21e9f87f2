import { randomBytes } from 'node:crypto';
import { eventually } from './commerce.specs';
import { call } from './embedded-store';
import { ADMIN } from './test-admin';

/*
 * The accounts a test of a running store signs in with (fault tests of freshly started stacks):
 * the admin, once the store answers, and a new seller the admin creates.
 */

/** The admin's access token, waiting (up to `timeoutMs`) for a store that is still starting. */
export async function signInAdmin(baseUrl: string, timeoutMs = 60_000): Promise<string> {
  const { value } = await eventually(
    async () => {
      const login = await call(baseUrl, 'POST', '/v1/auth/login', { body: ADMIN }).catch(
        () => undefined,
      );
      return login?.status === 200 ? (login.body.accessToken as string) : undefined;
    },
    timeoutMs,
    'the admin login',
  );
  return value;
}

/** A new seller account, created by the admin and signed in: its access token. */
export async function newSeller(
  baseUrl: string,
  adminToken: string,
  name: string,
): Promise<string> {
  const email = `seller-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'seller password 2026';
  const created = await call(baseUrl, 'POST', '/v1/admin/sellers', {
    body: { email, password, name, region: 'us' },
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (created.status !== 201) throw new Error(`creating seller ${name}: ${created.status}`);
  const login = await call(baseUrl, 'POST', '/v1/auth/login', { body: { email, password } });
  return login.body.accessToken as string;
}
