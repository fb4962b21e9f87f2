import type { z } from 'zod';
import { loadConfig, withCoreConfig } from '@mercato/config';
import { gatewayConfigShape } from '../../src/gateway.config';
import type { IdentityConfig } from '../../src/identity/identity.config';
import { Clock } from '../../src/identity/clock';
import { PasswordHasher } from '../../src/identity/password.hasher';
import { SigningKeyStore } from '../../src/identity/signing-key.store';
import { TokenService } from '../../src/identity/token.service';

/** Test helpers of the identity specs (not a spec itself). */

export class FakeClock extends Clock {
  constructor(public time = Date.parse('2026-03-01T12:00:00Z')) {
    super();
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** The admin password the test configs set (no built-in default exists). */
export const TEST_ADMIN_PASSWORD = 'test-admin-password-2026';

const testConfigSchema = withCoreConfig(gatewayConfigShape);

/** The gateway's config for specs: in-memory storage and cache, a known admin password. */
export function testConfig(env: Record<string, string> = {}): z.infer<typeof testConfigSchema> {
  return loadConfig(testConfigSchema, {
    MERCATO_STORAGE: 'memory',
    MERCATO_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    ...env,
  });
}

/** A cheap KDF setting: same code path, ~1 ms per hash. */
export const fastHasher = (): PasswordHasher => new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

export async function testTokens(
  config = testConfig(),
  clock = new FakeClock(),
): Promise<{
  tokens: TokenService;
  keys: SigningKeyStore;
  clock: FakeClock;
  config: IdentityConfig;
}> {
  const keys = new SigningKeyStore(config);
  await keys.load();
  return { tokens: new TokenService(keys, clock, config), keys, clock, config };
}
