import { loadConfig, withCoreConfig } from '@mercato/config';
import { gatewayConfigShape } from '../gateway.config';
import type { IdentityConfig } from './identity.config';
import { Clock } from './clock';
import { PasswordHasher } from './password.hasher';
import { SigningKeyStore } from './signing-key.store';
import { TokenService } from './token.service';

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

export function testConfig(env: Record<string, string> = {}): IdentityConfig {
  return loadConfig(withCoreConfig(gatewayConfigShape), { MERCATO_STORAGE: 'memory', ...env });
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
