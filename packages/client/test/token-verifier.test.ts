import { status } from '@grpc/grpc-js';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient } from '../src/index.js';
import { createTokenVerifier, TokenRejectedError, type TokenVerifierOptions } from '../src/verifier/index.js';
import { rpcFailure, startFakeAuthServer, type FakeAuthServer, type FakeHandlers } from './support/fake-auth-server.support.js';
import { accessToken, AUDIENCE, ISSUER, JwksServer, makeKey } from './support/token-issuer.support.js';

const rejection = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof TokenRejectedError ? error.reason : `not a rejection: ${String(error)}`),
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local verification against the JWKS URL', () => {
  let keyA: Awaited<ReturnType<typeof makeKey>>;
  let jwks: JwksServer;
  beforeAll(async () => {
    keyA = await makeKey('key-a');
    jwks = await JwksServer.start([keyA]);
  });
  afterAll(() => jwks.close());

  const verifier = (options: Partial<TokenVerifierOptions> = {}) => createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: jwks.url, revocation: 'none', ...options });

  it("accepts the service's access token and returns its claims", async () => {
    const token = await accessToken(keyA, { claims: { sub: 'acc-1', sid: 'ses-1', role: 'ARTIST', jti: 'tok-1' } });
    const claims = await verifier().verify(token);
    expect(claims).toMatchObject({ subject: 'acc-1', sessionId: 'ses-1', role: 'ARTIST', tokenId: 'tok-1' });
    expect(claims.expiresAt.getTime() - claims.issuedAt.getTime()).toBe(900_000);
  });

  it('refuses a token of another issuer or audience, of another type, or with claims the service never issues', async () => {
    const v = verifier();
    expect(await rejection(v.verify(await accessToken(keyA, { claims: { iss: 'someone-else' } })))).toBe('invalid');
    expect(await rejection(v.verify(await accessToken(keyA, { claims: { aud: 'other-service' } })))).toBe('invalid');
    expect(await rejection(v.verify(await accessToken(keyA, { header: { typ: 'JWT' } })))).toBe('invalid');
    expect(await rejection(v.verify(await accessToken(keyA, { claims: { role: 'ROOT' } })))).toBe('invalid');
    expect(await rejection(v.verify(await accessToken(keyA, { claims: { sid: undefined } })))).toBe('invalid');
    expect(await rejection(v.verify(await accessToken(keyA, { claims: { iat: Math.floor(Date.now() / 1000) + 3_600 } })))).toBe('invalid');
    const otherKeySameKid = await makeKey('key-a');
    expect(await rejection(v.verify(await accessToken(otherKeySameKid)))).toBe('invalid');
    const hs256 = await new SignJWT({ iss: ISSUER, aud: AUDIENCE }).setProtectedHeader({ alg: 'HS256', kid: 'key-a', typ: 'at+jwt' }).sign(new Uint8Array(32));
    expect(await rejection(v.verify(hs256))).toBe('invalid');
    expect(await rejection(v.verify('not-a-jwt'))).toBe('invalid');
    expect(await rejection(v.verify(`${await accessToken(keyA)}${'x'.repeat(16_384)}`))).toBe('invalid');
    expect(await rejection(v.verify(''))).toBe('missing');
  });

  it("applies the service's role policy: an ADMIN token without a second factor in amr is refused, unless told the policy is off", async () => {
    const adminWith = (amr: string[]) => accessToken(keyA, { claims: { role: 'ADMIN', amr } });
    expect(await rejection(verifier().verify(await adminWith(['pwd'])))).toBe('mfa_enrolment_required');
    expect(await rejection(verifier().verify(await accessToken(keyA, { claims: { role: 'ADMIN' } })))).toBe('mfa_enrolment_required');
    for (const factor of ['otp', 'hwk', 'swk']) expect((await verifier().verify(await adminWith(['pwd', factor, 'mfa']))).role).toBe('ADMIN');
    expect((await verifier().verify(await accessToken(keyA, { claims: { role: 'USER', amr: ['pwd'] } }))).role).toBe('USER');
    expect((await verifier({ mfaRequiredForRoles: [] }).verify(await adminWith(['pwd']))).role).toBe('ADMIN');
    expect(await rejection(verifier({ mfaRequiredForRoles: ['ARTIST'] }).verify(await accessToken(keyA, { claims: { role: 'ARTIST', amr: ['pwd'] } })))).toBe('mfa_enrolment_required');
  });

  it('refuses an expired token, with a few seconds of clock skew tolerated', async () => {
    const now = Math.floor(Date.now() / 1000);
    const v = verifier();
    expect(await rejection(v.verify(await accessToken(keyA, { claims: { iat: now - 900, exp: now - 3 } })))).toBe('accepted');
    expect(await rejection(v.verify(await accessToken(keyA, { claims: { iat: now - 900, exp: now - 10 } })))).toBe('expired');
    expect(await rejection(verifier({ clockToleranceSeconds: 0 }).verify(await accessToken(keyA, { claims: { iat: now - 900, exp: now - 3 } })))).toBe('expired');
  });
});

describe('the key set cache', () => {
  let jwks: JwksServer;
  afterEach(() => jwks?.close());

  it('fetches the keys once, and again when a token names an unknown kid (a rotation)', async () => {
    const [keyA, keyB] = [await makeKey('key-a'), await makeKey('key-b')];
    jwks = await JwksServer.start([keyA]);
    const v = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: jwks.url, revocation: 'none', jwksCooldownMs: 1_000 });
    for (let i = 0; i < 5; i += 1) await v.verify(await accessToken(keyA));
    expect(jwks.fetches).toBe(1);
    jwks.keys = [keyA, keyB];
    await sleep(1_100);
    await expect(v.verify(await accessToken(keyB))).resolves.toBeDefined();
    expect(jwks.fetches).toBe(2);
  });

  it('fetches at most once per cooldown however many unknown kids arrive', async () => {
    const keyA = await makeKey('key-a');
    jwks = await JwksServer.start([keyA]);
    const v = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: jwks.url, revocation: 'none', jwksCooldownMs: 1_000 });
    await v.verify(await accessToken(keyA));
    await sleep(1_100);
    const forged = await Promise.all(Array.from({ length: 20 }, async (_, i) => accessToken(await makeKey(`forged-${i}`))));
    const first = await Promise.all(forged.slice(0, 10).map((token) => rejection(v.verify(token))));
    const second = await Promise.all(forged.slice(10).map((token) => rejection(v.verify(token))));
    expect([...first, ...second].every((r) => r === 'invalid')).toBe(true);
    expect(jwks.fetches).toBe(2);
    await sleep(1_100);
    expect(await rejection(v.verify(forged[0]!))).toBe('invalid');
    expect(jwks.fetches).toBe(3);
  });

  it('checks the signature of a token once: the same token again is taken from the verified-token cache until it expires', async () => {
    const keyA = await makeKey('key-a');
    jwks = await JwksServer.start([keyA]);
    // Keys never cached: every signature check fetches them, so the fetches count the signature checks.
    const options = { issuer: ISSUER, audience: AUDIENCE, jwks: jwks.url, revocation: 'none', jwksCacheMaxAgeMs: 0, clockToleranceSeconds: 0 } as const;
    const token = await accessToken(keyA, { lifetimeSeconds: 1 });
    const cached = createTokenVerifier(options);
    for (let i = 0; i < 5; i += 1) await cached.verify(token);
    expect(jwks.fetches).toBe(1);
    const uncached = createTokenVerifier({ ...options, verifiedTokenCacheSize: 0 });
    for (let i = 0; i < 5; i += 1) await uncached.verify(token);
    expect(jwks.fetches).toBe(6);
    const { expiresAt } = await cached.verify(token);
    await sleep(expiresAt.getTime() - Date.now() + 20);
    expect(await rejection(cached.verify(token))).toBe('expired');
  });

  it('says "unverifiable", not "invalid", when the key set cannot be fetched', async () => {
    const keyA = await makeKey('key-a');
    jwks = await JwksServer.start([keyA]);
    jwks.failWith = 503;
    const v = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: jwks.url, revocation: 'none' });
    const error = await v.verify(await accessToken(keyA)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRejectedError);
    expect((error as TokenRejectedError).reason).toBe('unverifiable');
    expect((error as TokenRejectedError).temporary).toBe(true);
  });
});

describe('a client as the key source and ValidateToken as the revocation check', () => {
  let server: FakeAuthServer;
  let client: AuthClient;
  let keyA: Awaited<ReturnType<typeof makeKey>>;
  let keys: Awaited<ReturnType<typeof makeKey>>[];
  /** What ValidateToken answers next; default valid. */
  let validate: () => void = () => {};
  const revoked = new Set<string>();

  beforeAll(async () => {
    keyA = await makeKey('key-a');
    keys = [keyA];
    const handlers: FakeHandlers = {
      getJwks: () => ({ jwksJson: JSON.stringify({ keys: keys.map((k) => k.publicJwk) }), keys: [] }),
      validateToken: async ({ accessToken: token }) => {
        validate();
        if (revoked.has(token)) throw rpcFailure(status.UNAUTHENTICATED, 'session revoked', { reason: 'SESSION_REVOKED' });
        return { subject: 's', role: 1, sessionId: 'x', tokenId: 't', amr: [] };
      },
    };
    server = await startFakeAuthServer(handlers);
    client = createAuthClient({ address: server.address, retry: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });
  afterEach(() => {
    validate = () => {};
    revoked.clear();
  });

  const verifier = (options: Partial<TokenVerifierOptions> = {}) => createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: client, revocation: 'check', ...options });

  it('fetches keys with GetJwks, again on an unknown kid once the cooldown has passed', async () => {
    const before = server.calls('getJwks');
    const v = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: client, revocation: 'none', jwksCooldownMs: 1_000 });
    await v.verify(await accessToken(keyA));
    const keyB = await makeKey('key-b');
    keys = [keyA, keyB];
    const early = await rejection(v.verify(await accessToken(keyB)));
    await sleep(1_100);
    await expect(v.verify(await accessToken(keyB))).resolves.toBeDefined();
    expect([early, server.calls('getJwks') - before]).toEqual(['invalid', 2]);
    expect(server.calls('validateToken')).toBe(0);
  });

  it("with 'check' asks ValidateToken once per token within the cache's lifetime, again after it", async () => {
    const v = verifier({ revocationCacheTtlMs: 1_000 });
    const token = await accessToken(keyA);
    const before = server.calls('validateToken');
    await Promise.all([v.verify(token), v.verify(token), v.verify(token)]);
    await v.verify(token);
    expect(server.calls('validateToken') - before).toBe(1);
    await sleep(1_100);
    await v.verify(token);
    expect(server.calls('validateToken') - before).toBe(2);
  });

  it("with 'check' refuses a token of a revoked session, and keeps refusing it without asking again", async () => {
    const v = verifier();
    const token = await accessToken(keyA);
    revoked.add(token);
    const before = server.calls('validateToken');
    expect(await rejection(v.verify(token))).toBe('revoked');
    expect(await rejection(v.verify(token))).toBe('revoked');
    expect(server.calls('validateToken') - before).toBe(1);
  });

  it("with 'none' never asks ValidateToken: a revoked session's token is accepted until it expires", async () => {
    const token = await accessToken(keyA);
    revoked.add(token);
    const before = server.calls('validateToken');
    await expect(verifier({ revocation: 'none' }).verify(token)).resolves.toBeDefined();
    expect(server.calls('validateToken')).toBe(before);
  });

  it('fails closed: failures open the breaker, which refuses tokens without calling until a trial call succeeds', async () => {
    const v = verifier({ breaker: { failureThreshold: 3, openMs: 1_000 } });
    validate = () => {
      throw rpcFailure(status.UNAVAILABLE, 'redis down', { reason: 'DEPENDENCY_UNAVAILABLE' });
    };
    const before = server.calls('validateToken');
    for (let i = 0; i < 3; i += 1) expect(await rejection(v.verify(await accessToken(keyA)))).toBe('unverifiable');
    expect(v.breakerState).toBe('open');
    for (let i = 0; i < 5; i += 1) expect(await rejection(v.verify(await accessToken(keyA)))).toBe('unverifiable');
    expect(server.calls('validateToken') - before).toBe(3);

    await sleep(1_100);
    expect(v.breakerState).toBe('half-open');
    expect(await rejection(v.verify(await accessToken(keyA)))).toBe('unverifiable');
    expect(v.breakerState).toBe('open');
    expect(server.calls('validateToken') - before).toBe(4);

    validate = () => {};
    await sleep(1_100);
    await expect(v.verify(await accessToken(keyA))).resolves.toBeDefined();
    expect(v.breakerState).toBe('closed');
  });

  it("with 'check' and a URL as key source, needs a client", async () => {
    expect(() => createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: 'http://127.0.0.1:1/jwks', revocation: 'check' })).toThrow(/needs a client/);
    expect(() => createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: 'http://127.0.0.1:1/jwks', revocation: 'maybe' as 'none' })).toThrow(/'none' or 'check'/);
  });
});
