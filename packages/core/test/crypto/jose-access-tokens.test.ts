import { createPublicKey } from 'node:crypto';
import { SignJWT, importJWK, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { JoseAccessTokens, RefreshTokenCodec, generateSigningKey, toVerificationOnly, type SigningAlgorithm, type SigningKeyMaterial } from '../../src/crypto/index.js';
import { expectDomainError } from '../support/expect-domain-error.support.js';

// What only this implementation promises. The AccessTokens contract suite runs against every algorithm in
// packages/core-testing/test/crypto.contracts.test.ts.

const ISSUER = 'https://auth.test';
const AUDIENCE = 'music-services';
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOW_S = NOW.getTime() / 1000;
const SID = 'AAECAwQFBgcICQoLDA0ODw';

const tokensFor = (keys: SigningKeyMaterial[], overrides: { issuer?: string; audience?: string } = {}) =>
  JoseAccessTokens.create({ issuer: overrides.issuer ?? ISSUER, audience: overrides.audience ?? AUDIENCE, keys });

const keyCache = new Map<SigningAlgorithm, Promise<SigningKeyMaterial>>();
const keyFor = (alg: SigningAlgorithm) => {
  if (!keyCache.has(alg)) keyCache.set(alg, generateSigningKey(alg, `test-${alg}`));
  return keyCache.get(alg)!;
};

/** A JWT signed with `key`'s real private part, with any header and claims: to show what the verifier refuses. */
async function craft(key: SigningKeyMaterial, header: Record<string, unknown>, claims: Record<string, unknown>): Promise<string> {
  const signKey = key.alg === 'HS256' ? Buffer.from(key.secret!, 'base64url') : await importJWK(key.privateJwk!, key.alg);
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }).sign(signKey);
}

const goodClaims = (): Record<string, unknown> => ({
  iss: ISSUER, aud: AUDIENCE, sub: '01900000-0000-7000-8000-000000000000', sid: SID, role: 'USER', iat: NOW_S, exp: NOW_S + 900, jti: 'jti-1',
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('JoseAccessTokens', () => {
  let ed: SigningKeyMaterial;
  let rsa: SigningKeyMaterial;
  let tokens: JoseAccessTokens;
  beforeAll(async () => {
    [ed, rsa] = await Promise.all([keyFor('EdDSA'), keyFor('RS256')]);
    tokens = await tokensFor([ed, rsa]);
  });
  const rejects = (token: string, at: Date = NOW) => expectDomainError(tokens.verify(token, at), 'ACCESS_TOKEN_INVALID');

  it('(control) a hand-crafted token with every rule respected is accepted, so the rejections below mean something', async () => {
    expect(await tokens.verify(await craft(ed, {}, goodClaims()), NOW)).toMatchObject({ sessionId: SID, role: 'USER' });
    expect(await tokens.verify(await craft(rsa, {}, goodClaims()), NOW)).toMatchObject({ sessionId: SID, role: 'USER' });
  });

  it('signs with header alg, kid and typ at+jwt, and the claims iss, aud, sub, sid, role, amr, auth_time, iat, exp, jti', async () => {
    const { token } = await tokens.sign({ accountId: 'acc-1', sessionId: SID, role: 'ARTIST', issuedAt: NOW, expiresAt: new Date(NOW.getTime() + 60_000) });
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))) as [Record<string, unknown>, Record<string, unknown>];
    expect(header).toEqual({ alg: expect.any(String), kid: tokens.signingKid, typ: 'at+jwt' });
    expect(payload).toEqual({ iss: ISSUER, aud: AUDIENCE, sub: 'acc-1', sid: SID, role: 'ARTIST', amr: ['pwd'], auth_time: NOW_S, iat: NOW_S, exp: NOW_S + 60, jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
  });

  it('a token with alg "none" is rejected', async () => {
    await rejects(`${b64({ alg: 'none', kid: ed.kid, typ: 'at+jwt' })}.${b64(goodClaims())}.`);
    await rejects(`${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(goodClaims())}.`);
  });

  it('a token signed by a key not in the set is rejected, whether its kid is unknown or borrowed', async () => {
    const stranger = await generateSigningKey('EdDSA');
    await rejects(await craft(stranger, {}, goodClaims()));
    await rejects(await craft({ ...stranger, kid: ed.kid }, {}, goodClaims()));
    await rejects(await craft(ed, { kid: undefined }, goodClaims()));
  });

  it('an HS256 token whose HMAC secret is the public key of an Ed25519 or RSA key is rejected', async () => {
    for (const key of [ed, rsa]) {
      const pem = createPublicKey({ key: key.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      const secrets = [Buffer.from(pem), Buffer.from(JSON.stringify(key.publicJwk)), Buffer.from((key.publicJwk!.x ?? key.publicJwk!.n)!, 'base64url')];
      for (const secret of secrets) {
        const forged = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' }).sign(secret);
        await rejects(forged);
      }
    }
  });

  it('a token signed with the right key but the algorithm of another key type is rejected', async () => {
    const es = await keyFor('ES256');
    // A genuine ES256 signature, sent under the kid of the Ed25519 key.
    await rejects(await craft(es, { kid: ed.kid }, goodClaims()));
  });

  it('a token for another issuer or another audience is rejected', async () => {
    const otherIssuer = await tokensFor([ed], { issuer: 'https://evil.test' });
    const otherAudience = await tokensFor([ed], { audience: 'another-service' });
    const input = { accountId: 'acc-1', sessionId: SID, role: 'ADMIN' as const, issuedAt: NOW, expiresAt: new Date(NOW.getTime() + 60_000) };
    await rejects((await otherIssuer.sign(input)).token);
    await rejects((await otherAudience.sign(input)).token);
    await rejects(await craft(ed, {}, { ...goodClaims(), aud: [AUDIENCE.toUpperCase()] }));
  });

  it(`an expired token is rejected, with ${5} s of tolerance for clock skew`, async () => {
    const token = await craft(ed, {}, { ...goodClaims(), exp: NOW_S + 60 });
    expect((await tokens.verify(token, new Date((NOW_S + 63) * 1000))).role).toBe('USER');
    await rejects(token, new Date((NOW_S + 66) * 1000));
  });

  it('a token whose nbf is in the future is rejected', async () => {
    await rejects(await craft(ed, {}, { ...goodClaims(), nbf: NOW_S + 60 }));
  });

  it('a token with one claim of its payload tampered with is rejected', async () => {
    const [header, payload, signature] = (await craft(ed, {}, goodClaims())).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    await rejects(`${header}.${b64({ ...claims, sub: 'someone-else' })}.${signature}`);
    await rejects(`${header}.${b64({ ...claims, exp: NOW_S + 10 ** 6 })}.${signature}`);
  });

  it('a JWT of another type (typ JWT, or none) is rejected', async () => {
    await rejects(await craft(ed, { typ: 'JWT' }, goodClaims()));
    await rejects(await craft(ed, { typ: undefined }, goodClaims()));
  });

  it('a token lacking a required claim, or with a role outside USER/ARTIST/ADMIN, is rejected', async () => {
    for (const claim of ['sub', 'sid', 'role', 'iat', 'exp', 'jti']) {
      const claims = goodClaims();
      delete claims[claim];
      await rejects(await craft(ed, {}, claims));
    }
    await rejects(await craft(ed, {}, { ...goodClaims(), role: 'ROOT' }));
    await rejects(await craft(ed, {}, { ...goodClaims(), sid: 42 }));
  });

  it('a refresh token presented as an access token is rejected', async () => {
    const refresh = new RefreshTokenCodec(new Uint8Array(32).fill(7)).encode(SID, 3);
    await rejects(refresh);
  });

  it('the error says only that the token is invalid or expired, whatever the reason', async () => {
    const error = await tokens.verify(await craft(ed, { typ: 'JWT' }, goodClaims()), NOW).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ACCESS_TOKEN_INVALID', message: 'access token is invalid or expired' });
  });
});

describe('JoseAccessTokens key rotation', () => {
  const input = { accountId: 'acc-1', sessionId: SID, role: 'USER' as const, issuedAt: NOW, expiresAt: new Date(NOW.getTime() + 60_000) };

  it('the newest key able to sign signs; older and verification-only keys still verify; the JWKS lists every public key', async () => {
    const [oldest, current, retired, hmac] = await Promise.all([generateSigningKey('RS256'), generateSigningKey('EdDSA'), generateSigningKey('ES256'), generateSigningKey('HS256')]);
    oldest.createdAt = '2026-01-01T00:00:00.000Z';
    current.createdAt = '2026-06-01T00:00:00.000Z';
    retired.createdAt = '2026-09-01T00:00:00.000Z'; // newest, but no longer allowed to sign
    hmac.createdAt = '2025-01-01T00:00:00.000Z';
    const tokenByRetired = (await (await tokensFor([retired])).sign(input)).token;
    const tokenByOldest = (await (await tokensFor([oldest])).sign(input)).token;
    const tokenByHmac = (await (await tokensFor([hmac])).sign(input)).token;

    const rotated = await tokensFor([oldest, hmac, toVerificationOnly(retired), current]);
    expect(rotated.signingKid).toBe(current.kid);
    const fresh = (await rotated.sign(input)).token;
    expect(JSON.parse(Buffer.from(fresh.split('.')[0]!, 'base64url').toString('utf8'))).toMatchObject({ kid: current.kid, alg: 'EdDSA' });
    for (const token of [fresh, tokenByRetired, tokenByOldest, tokenByHmac]) {
      expect((await rotated.verify(token, NOW)).accountId).toBe('acc-1');
    }

    const { keys } = await rotated.jwks();
    expect(keys.map((key) => key.kid).sort()).toEqual([oldest.kid, current.kid, retired.kid].sort());
    expect(keys.find((key) => key.kid === current.kid)).toEqual({ kty: 'OKP', crv: 'Ed25519', x: current.publicJwk!.x, kid: current.kid, alg: 'EdDSA', use: 'sig' });
    expect(keys.find((key) => key.kid === oldest.kid)).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
  });

  it('a set whose keys are all verification-only cannot be used to sign', async () => {
    const key = toVerificationOnly(await keyFor('EdDSA'));
    await expect(tokensFor([key])).rejects.toThrow(/no key able to sign/);
  });

  it('an HS256-only set publishes an empty JWKS', async () => {
    expect(await (await tokensFor([await keyFor('HS256')])).jwks()).toEqual({ keys: [] });
  });
});

describe('JoseAccessTokens signing (node:crypto) as other verifiers see it', () => {
  it.each(['EdDSA', 'ES256', 'RS256', 'HS256'] as const)('a %s token verifies with jose alone, against the published key (or the shared secret)', async (alg) => {
    const key = await keyFor(alg);
    const tokens = await tokensFor([key]);
    const { token, expiresAt } = await tokens.sign({ accountId: 'acc-1', sessionId: SID, role: 'ADMIN', issuedAt: NOW, expiresAt: new Date(NOW.getTime() + 60_000) });
    const published = alg === 'HS256' ? Buffer.from(key.secret!, 'base64url') : await importJWK((await tokens.jwks()).keys[0] as never, alg);
    const { payload, protectedHeader } = await jwtVerify(token, published, { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt', currentDate: NOW });
    expect(protectedHeader).toEqual({ alg, kid: key.kid, typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'acc-1', sid: SID, role: 'ADMIN', iat: NOW_S, exp: NOW_S + 60 });
    expect(expiresAt).toEqual(new Date((NOW_S + 60) * 1000));
  });

  it('refuses to sign with an invalid date instead of writing a token without a lifetime', async () => {
    const tokens = await tokensFor([await keyFor('EdDSA')]);
    await expect(tokens.sign({ accountId: 'acc-1', sessionId: SID, role: 'USER', issuedAt: NOW, expiresAt: new Date(Number.NaN) })).rejects.toThrow(RangeError);
  });
});

describe('JoseAccessTokens remembering verified tokens', () => {
  let ed: SigningKeyMaterial;
  beforeAll(async () => {
    ed = await keyFor('EdDSA');
  });

  it('a token accepted once is refused once it has expired, and stays refused', async () => {
    const tokens = await tokensFor([ed]);
    const token = await craft(ed, {}, { ...goodClaims(), exp: NOW_S + 60 });
    expect((await tokens.verify(token, NOW)).expiresAt).toEqual(new Date((NOW_S + 60) * 1000));
    expect((await tokens.verify(token, new Date((NOW_S + 64) * 1000))).role).toBe('USER');
    await expectDomainError(tokens.verify(token, new Date((NOW_S + 66) * 1000)), 'ACCESS_TOKEN_INVALID');
    await expectDomainError(tokens.verify(token, new Date((NOW_S + 67) * 1000)), 'ACCESS_TOKEN_INVALID');
  });

  it('the nbf and iat of a remembered token are checked against the clock of each call', async () => {
    const tokens = await tokensFor([ed]);
    const notBefore = await craft(ed, {}, { ...goodClaims(), nbf: NOW_S + 60 });
    expect((await tokens.verify(notBefore, new Date((NOW_S + 60) * 1000))).role).toBe('USER');
    await expectDomainError(tokens.verify(notBefore, NOW), 'ACCESS_TOKEN_INVALID');
    const issuedLater = await craft(ed, {}, { ...goodClaims(), iat: NOW_S + 60 });
    expect((await tokens.verify(issuedLater, new Date((NOW_S + 60) * 1000))).role).toBe('USER');
    await expectDomainError(tokens.verify(issuedLater, NOW), 'ACCESS_TOKEN_INVALID');
  });

  it('a token that verified does not make a tampered copy of it pass', async () => {
    const tokens = await tokensFor([ed]);
    const genuine = await craft(ed, {}, goodClaims());
    expect((await tokens.verify(genuine, NOW)).sessionId).toBe(SID);
    const [header, payload, signature] = genuine.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    await expectDomainError(tokens.verify(`${header}.${b64({ ...claims, role: 'ADMIN' })}.${signature}`, NOW), 'ACCESS_TOKEN_INVALID');
    await expectDomainError(tokens.verify(`${genuine}x`, NOW), 'ACCESS_TOKEN_INVALID');
  });

  it('every call gets its own claims objects, whatever an earlier caller did with its copy', async () => {
    const tokens = await tokensFor([ed]);
    const token = await craft(ed, {}, goodClaims());
    const first = await tokens.verify(token, NOW);
    first.expiresAt.setTime(0);
    (first as { role: string }).role = 'ADMIN';
    expect(await tokens.verify(token, NOW)).toMatchObject({ role: 'USER', expiresAt: new Date((NOW_S + 900) * 1000) });
  });

  it('verifies the same with a cache of one entry or none: many tokens in turn all pass, expired ones fail', async () => {
    for (const verifiedTokenCacheSize of [0, 1]) {
      const tokens = await JoseAccessTokens.create({ issuer: ISSUER, audience: AUDIENCE, keys: [ed], verifiedTokenCacheSize });
      const all = await Promise.all([1, 2, 3].map((n) => craft(ed, {}, { ...goodClaims(), jti: `jti-${n}` })));
      for (let round = 0; round < 2; round += 1) {
        for (const [n, token] of all.entries()) expect((await tokens.verify(token, NOW)).tokenId).toBe(`jti-${n + 1}`);
      }
      await expectDomainError(tokens.verify(all[0]!, new Date((NOW_S + 906) * 1000)), 'ACCESS_TOKEN_INVALID');
    }
  });
});
