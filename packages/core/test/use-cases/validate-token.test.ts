import { beforeEach, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { expectDomainError } from '../support/expect-domain-error.support.js';
import { Harness, sharedHasher } from './support/service-harness.support.js';

const hasher = sharedHasher();

describe('ValidateToken, Authenticate and GetJwks', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ hasher });
  });

  it('returns subject, role, session and expiry of a valid token', async () => {
    const { profile, tokens } = await h.signedInArtist();
    const claims = await h.service.validateToken({ accessToken: tokens.accessToken });
    expect(claims).toMatchObject({ accountId: profile.id, role: 'ARTIST' });
    expect(claims.sessionId).toHaveLength(22);
    expect(claims.expiresAt).toEqual(tokens.accessTokenExpiresAt);
  });

  it('authenticate gives the principal of the token', async () => {
    const { profile, tokens } = await h.signedInUser();
    const claims = await h.service.validateToken({ accessToken: tokens.accessToken });
    expect(await h.service.authenticate(tokens.accessToken)).toEqual({ accountId: profile.id, sessionId: claims.sessionId, role: 'USER', amr: ['pwd'], authTime: claims.authTime });
  });

  it.each([
    ['an empty token', () => ''],
    ['garbage', () => 'a.b.c'],
  ])('rejects %s as ACCESS_TOKEN_INVALID', async (_name, token) => {
    await expectDomainError(h.service.validateToken({ accessToken: token() }), 'ACCESS_TOKEN_INVALID');
    await expectDomainError(h.service.authenticate(token()), 'ACCESS_TOKEN_INVALID');
  });

  it('rejects a refresh token used as an access token', async () => {
    const { tokens } = await h.signedInUser();
    await expectDomainError(h.service.validateToken({ accessToken: tokens.refreshToken }), 'ACCESS_TOKEN_INVALID');
  });

  it('rejects an expired token', async () => {
    const { tokens } = await h.signedInUser();
    h.clock.set(new Date(tokens.accessTokenExpiresAt.getTime() + 60_000));
    await expectDomainError(h.service.validateToken({ accessToken: tokens.accessToken }), 'ACCESS_TOKEN_INVALID');
  });

  it('rejects a token signed by another service instance\'s keys', async () => {
    const { tokens } = await h.signedInUser();
    const stranger = await Harness.create({ hasher });
    await expectDomainError(stranger.service.validateToken({ accessToken: tokens.accessToken }), 'ACCESS_TOKEN_INVALID');
  });

  it('rejects the still-unexpired token of a revoked session with SESSION_REVOKED', async () => {
    const { tokens } = await h.signedInUser();
    await h.service.logout({ refreshToken: tokens.refreshToken });
    await expectDomainError(h.service.validateToken({ accessToken: tokens.accessToken }), 'SESSION_REVOKED');
    await expectDomainError(h.service.authenticate(tokens.accessToken), 'SESSION_REVOKED');
  });

  it('publishes public keys that verify the access tokens, and no private part', async () => {
    const { tokens } = await h.signedInUser();
    const jwks = await h.service.getJwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload, protectedHeader } = await jwtVerify(tokens.accessToken, createLocalJWKSet(jwks as never), {
      currentDate: h.clock.now(),
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    expect(payload).toMatchObject({ iss: 'https://auth.test', aud: 'test-services', role: 'USER' });
  });
});
