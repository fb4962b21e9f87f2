import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { mkdir, readFile, rm, writeFile, link, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  type CryptoKey,
  type JWK,
} from 'jose';
import { InjectConfig } from '@mercato/config';
import type { IdentityConfig } from './identity.config';

export const SIGNING_ALG = 'RS256';

/** One RSA key pair of the local token issuer. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export interface JsonWebKeySet {
  keys: JWK[];
}

/** On-disk form: PEMs plus the kid, written once and never rewritten. */
interface StoredKey {
  kid: string;
  alg: typeof SIGNING_ALG;
  createdAt: string;
  privateKey: string;
  publicKey: string;
}

const KEY_FILE = 'jwt-signing-key.json';

/**
 * The local issuer's signing key. Generated with jose on first start; with MERCATO_STORAGE=disk
 * it is kept in `<MERCATO_DATA_DIR>/keys/` (directory 0700, file 0600) so tokens survive a
 * restart; with `memory` it lives and dies with the process.
 *
 * Two processes starting at once on one data dir must agree on one key: each writes its own
 * candidate to a private temp file and `link`s it to the final name, which fails with EEXIST
 * for all but the first; the others then read the winner's (complete) file.
 *
 * The JWKS is a list so a later rotation can publish the next key before it signs.
 */
@Injectable()
export class SigningKeyStore implements OnModuleInit {
  private readonly logger = new Logger(SigningKeyStore.name);
  private key?: SigningKey;

  constructor(@InjectConfig() private readonly config: IdentityConfig) {}

  async onModuleInit(): Promise<void> {
    await this.load();
  }

  /** Loads or creates the key; idempotent. */
  async load(): Promise<SigningKey> {
    if (this.key) return this.key;
    const stored =
      this.config.MERCATO_STORAGE === 'memory' ? await generate() : await this.loadOrCreateOnDisk();
    this.key = await toSigningKey(stored);
    return this.key;
  }

  /** The key that signs new tokens. */
  current(): SigningKey {
    if (!this.key) throw new Error('SigningKeyStore used before it was loaded');
    return this.key;
  }

  /** Public keys for `/.well-known/jwks.json` and for verification. */
  jwks(): JsonWebKeySet {
    return { keys: [this.current().publicJwk] };
  }

  private async loadOrCreateOnDisk(): Promise<StoredKey> {
    const dir = join(this.config.MERCATO_DATA_DIR, 'keys');
    const file = join(dir, KEY_FILE);
    const existing = await readStored(file);
    if (existing) return existing;

    await mkdir(dir, { recursive: true, mode: 0o700 });
    const candidate = await generate();
    const temp = join(dir, `.${KEY_FILE}.${process.pid}.${randomUUID()}.tmp`);
    await writeFile(temp, JSON.stringify(candidate, null, 2), { mode: 0o600, flag: 'wx' });
    await chmod(temp, 0o600); // a restrictive umask is fine; a permissive one is not
    try {
      await link(temp, file);
      this.logger.log(`Created the JWT signing key ${candidate.kid} in ${dir}`);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const winner = await readStored(file);
      if (!winner) throw new Error(`Cannot read the JWT signing key in ${file}`);
      return winner;
    } finally {
      await rm(temp, { force: true });
    }
  }
}

async function generate(): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, {
    modulusLength: 2048,
    extractable: true,
  });
  const jwk = await exportJWK(publicKey);
  return {
    kid: await calculateJwkThumbprint(jwk),
    alg: SIGNING_ALG,
    createdAt: new Date().toISOString(),
    privateKey: await exportPKCS8(privateKey),
    publicKey: await exportSPKI(publicKey),
  };
}

async function readStored(file: string): Promise<StoredKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<StoredKey>;
  if (parsed.alg !== SIGNING_ALG || !parsed.kid || !parsed.privateKey || !parsed.publicKey) {
    throw new Error(
      `${file} is not a Mercato JWT signing key; move it away to let a new one be made`,
    );
  }
  return parsed as StoredKey;
}

async function toSigningKey(stored: StoredKey): Promise<SigningKey> {
  const privateKey = await importPKCS8(stored.privateKey, SIGNING_ALG);
  const publicKey = await importSPKI(stored.publicKey, SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    kid: stored.kid,
    privateKey,
    publicKey,
    publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: stored.kid, alg: SIGNING_ALG, use: 'sig' },
  };
}
