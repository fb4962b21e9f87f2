import { PasswordHasher } from './password.hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

  it('verifies the password it hashed and rejects another one', async () => {
    const stored = await hasher.hash('correct-horse-battery');
    await expect(hasher.verify('correct-horse-battery', stored)).resolves.toBe(true);
    await expect(hasher.verify('correct-horse-batterY', stored)).resolves.toBe(false);
  });

  it('stores a self-describing scrypt$N$r$p$salt$hash string with a fresh salt', async () => {
    const a = await hasher.hash('same password');
    const b = await hasher.hash('same password');
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(PasswordHasher.parameters(a)).toEqual({ N: 1024, r: 8, p: 1 });
  });

  it('verifies with the parameters named in the stored string, not the current ones', async () => {
    const old = await new PasswordHasher({ N: 2 ** 9, r: 4, p: 2 }).hash('an older password');
    await expect(hasher.verify('an older password', old)).resolves.toBe(true);
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('x'.repeat(10)))).toBe(false);
  });

  it('treats Unicode-equivalent passwords as the same (NFC)', async () => {
    const stored = await hasher.hash('caf\u00e9-au-lait');
    await expect(hasher.verify('cafe\u0301-au-lait', stored)).resolves.toBe(true);
  });

  it.each([
    ['garbage', 'not a hash'],
    ['another scheme', 'bcrypt$10$abc$def$ghi$jkl'],
    ['N not a power of two', 'scrypt$1000$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'],
    ['N too large to be allowed', 'scrypt$2097152$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'],
  ])('rejects a stored value that is %s without throwing', async (_case, stored) => {
    await expect(hasher.verify('whatever-password', stored)).resolves.toBe(false);
    expect(PasswordHasher.parameters(stored)).toBeUndefined();
  });

  it('refuses unsafe parameters for new hashes', () => {
    expect(() => new PasswordHasher({ N: 1000, r: 8, p: 1 })).toThrow(/power of two/);
  });
});
