import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { testConfig, testTokens } from '../../test/support/identity-test-support';
import type { AuthenticatedUser } from '../auth';

const ann: AuthenticatedUser = { customerId: 'c-ann', roles: ['customer'], region: 'eu' };

describe('TokenService', () => {
  it('issues an access token that verifies back to the same caller', async () => {
    const { tokens, config } = await testTokens();
    const { accessToken, expiresIn } = await tokens.issueAccessToken(ann);
    expect(expiresIn).toBe(config.JWT_ACCESS_TTL_SECONDS);
    await expect(tokens.verify(accessToken)).resolves.toEqual(ann);
  });

  it('puts sub, roles, region, iss, aud, exp, iat, jti in the token and kid in its header', async () => {
    const { tokens, keys, clock } = await testTokens();
    const { accessToken } = await tokens.issueAccessToken(ann);
    const header = decodeProtectedHeader(accessToken);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: keys.current().kid });

    const { payload } = await jwtVerify(accessToken, keys.current().publicKey, {
      currentDate: new Date(clock.now()),
    });
    const iat = Math.floor(clock.now() / 1000);
    expect(payload).toMatchObject({
      sub: 'c-ann',
      roles: ['customer'],
      region: 'eu',
      iss: 'mercato',
      aud: 'mercato-api',
      iat,
      exp: iat + 900,
    });
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('verifies with the published JWKS, as an outside service would', async () => {
    const { tokens, keys, clock } = await testTokens();
    const { accessToken } = await tokens.issueAccessToken(ann);
    const jwks = JSON.parse(JSON.stringify(keys.jwks())); // as served over HTTP
    expect(jwks.keys[0]).not.toHaveProperty('d'); // public parts only
    const { payload } = await jwtVerify(accessToken, createLocalJWKSet(jwks), {
      issuer: 'mercato',
      audience: 'mercato-api',
      currentDate: new Date(clock.now()),
    });
    expect(payload.sub).toBe('c-ann');
  });

  it('rejects an expired token', async () => {
    const { tokens, clock } = await testTokens();
    const { accessToken, expiresIn } = await tokens.issueAccessToken(ann);
    clock.advance((expiresIn - 1) * 1000);
    await expect(tokens.verify(accessToken)).resolves.toEqual(ann);
    clock.advance(1000);
    await expect(tokens.verify(accessToken)).rejects.toThrow(/exp/);
  });

  it('rejects a token for another audience or from another issuer', async () => {
    const { keys, clock, tokens } = await testTokens();
    const other = await testTokens(testConfig({ JWT_AUDIENCE: 'someone-else' }), clock);
    const otherIssuer = await testTokens(testConfig({ JWT_ISSUER: 'evil' }), clock);
    // Same key, other audience / issuer: only the claims differ.
    Object.assign(other.keys, { key: keys.current() });
    Object.assign(otherIssuer.keys, { key: keys.current() });
    const forOthers = await other.tokens.issueAccessToken(ann);
    const fromOthers = await otherIssuer.tokens.issueAccessToken(ann);
    await expect(tokens.verify(forOthers.accessToken)).rejects.toThrow(/aud/);
    await expect(tokens.verify(fromOthers.accessToken)).rejects.toThrow(/iss/);
  });

  it('rejects a token signed by another key', async () => {
    const { tokens, clock } = await testTokens();
    const stranger = await testTokens(testConfig(), clock);
    const { accessToken } = await stranger.tokens.issueAccessToken(ann);
    await expect(tokens.verify(accessToken)).rejects.toThrow();
  });

  it('rejects a validly signed JWT that is not an access token (typ) or lacks the claims', async () => {
    const { tokens, keys, clock } = await testTokens();
    const iat = Math.floor(clock.now() / 1000);
    const sign = (typ: string, claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: keys.current().kid, typ })
        .setSubject('c-ann')
        .setIssuer('mercato')
        .setAudience('mercato-api')
        .setIssuedAt(iat)
        .setExpirationTime(iat + 60)
        .setJti('j')
        .sign(keys.current().privateKey);
    await expect(
      tokens.verify(await sign('JWT', { roles: ['admin'], region: 'us' })),
    ).rejects.toThrow();
    await expect(
      tokens.verify(await sign('at+jwt', { roles: ['root'], region: 'us' })),
    ).rejects.toThrow();
    await expect(
      tokens.verify(await sign('at+jwt', { roles: ['admin'], region: 'us' })),
    ).resolves.toEqual({
      customerId: 'c-ann',
      roles: ['admin'],
      region: 'us',
    });
  });

  it('makes opaque refresh tokens that parse back to their owner and stored hash', async () => {
    const { tokens, clock, config } = await testTokens();
    const issued = tokens.newRefreshToken('c-ann');
    expect(issued.refreshToken.startsWith('c-ann.')).toBe(true);
    expect(issued.expiresAt).toBe(clock.now() + config.JWT_REFRESH_TTL_SECONDS * 1000);
    expect(tokens.parseRefreshToken(issued.refreshToken)).toEqual({
      customerId: 'c-ann',
      hash: issued.hash,
    });
    expect(issued.hash).not.toContain(issued.refreshToken.split('.')[1]);
    expect(tokens.parseRefreshToken('c-ann.short')).toBeUndefined();
    expect(tokens.parseRefreshToken('no-dot-at-all')).toBeUndefined();
  });
});
