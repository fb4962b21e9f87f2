import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters; N must be a power of two. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * Production cost: N=2^15, r=8, p=1 uses 32 MiB and measured ~90 ms per hash on the 2-core
 * development machine (OWASP's minimum for scrypt is N=2^17 with r=8 at 128 MiB; we trade some
 * margin for login latency on small containers — raise it here, old hashes keep verifying
 * because every hash names its own parameters).
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/** Injection token of the ScryptParams used for new hashes (tests inject a cheap setting). */
export const SCRYPT_PARAMS = 'mercato:identity:scrypt-params';

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse to verify hashes whose parameters would let a stored string exhaust memory or CPU. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

/**
 * Memory-hard password hashing with Node's scrypt. A stored hash is self-describing —
 * `scrypt$N$r$p$<salt b64url>$<hash b64url>` — so parameters can change without a migration
 * and `needsRehash` tells when a password should be re-hashed at the next login.
 */
@Injectable()
export class PasswordHasher {
  constructor(
    @Inject(SCRYPT_PARAMS) private readonly params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
  ) {
    assertParams(params);
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const hash = await derive(password, salt, this.params, KEY_BYTES);
    const { N, r, p } = this.params;
    return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
  }

  /** True when `password` matches `stored`; false on a mismatch or an unreadable stored hash. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parseHash(stored);
    if (!parsed) return false;
    const candidate = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
    return timingSafeEqual(candidate, parsed.hash);
  }

  /** True when `stored` was made with other parameters than the current ones. */
  needsRehash(stored: string): boolean {
    const parsed = parseHash(stored);
    if (!parsed) return true;
    const { N, r, p } = parsed.params;
    return N !== this.params.N || r !== this.params.r || p !== this.params.p;
  }

  /** The parameters a stored hash was made with, or undefined when it is not a scrypt hash. */
  static parameters(stored: string): ScryptParams | undefined {
    return parseHash(stored)?.params;
  }
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^\d+$/.test(part) ? Number(part) : NaN));
  const params = { N, r, p };
  try {
    assertParams(params);
  } catch {
    return undefined;
  }
  const salt = Buffer.from(parts[4], 'base64url');
  const hash = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { params, salt, hash };
}

function assertParams({ N, r, p }: ScryptParams): void {
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N)
    throw new Error(`scrypt N must be a power of two ≤ 2^20 (got ${N})`);
  if (!Number.isInteger(r) || r < 1 || r > MAX_R)
    throw new Error(`scrypt r out of range (got ${r})`);
  if (!Number.isInteger(p) || p < 1 || p > MAX_P)
    throw new Error(`scrypt p out of range (got ${p})`);
}

function derive(
  password: string,
  salt: Buffer,
  params: ScryptParams,
  length: number,
): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is exactly N=2^15·r=8, which fails.
  const options: ScryptOptions = { ...params, maxmem: 2 * 128 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}
