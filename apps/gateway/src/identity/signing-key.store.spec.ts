import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { SigningKeyStore } from './signing-key.store';
import { testConfig } from '../../test/support/identity-test-support';

describe('SigningKeyStore', () => {
  beforeAll(() => Logger.overrideLogger(false));
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mercato-keys-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const onDisk = () =>
    new SigningKeyStore(testConfig({ MERCATO_STORAGE: 'disk', MERCATO_DATA_DIR: dataDir }));

  it('creates an RS256 key under <data dir>/keys readable only by its owner', async () => {
    const key = await onDisk().load();
    expect(key.kid).toMatch(/^[\w-]{43}$/);
    const file = join(dataDir, 'keys', 'jwt-signing-key.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dataDir, 'keys'))).toEqual(['jwt-signing-key.json']); // no temp left
  });

  it('keeps the same key across restarts', async () => {
    const first = await onDisk().load();
    const second = await onDisk().load();
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
  });

  it('agrees on one key when several processes start at once', async () => {
    const keys = await Promise.all([onDisk().load(), onDisk().load(), onDisk().load()]);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
  });

  it('keeps keys in memory only with MERCATO_STORAGE=memory', async () => {
    const a = await new SigningKeyStore(testConfig({ MERCATO_DATA_DIR: dataDir })).load();
    const b = await new SigningKeyStore(testConfig({ MERCATO_DATA_DIR: dataDir })).load();
    expect(a.kid).not.toBe(b.kid);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('publishes only the public parts of the key in its JWKS', async () => {
    const store = onDisk();
    await store.load();
    const { keys } = store.jwks();
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: store.current().kid,
    });
  });
});
