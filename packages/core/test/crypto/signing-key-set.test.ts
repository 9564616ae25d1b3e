import { describe, expect, it } from 'vitest';
import { generateSigningKey, parseSigningKeySet, toVerificationOnly, type SigningKeyMaterial } from '../../src/crypto/index.js';

const roundTrip = (keys: SigningKeyMaterial[]): unknown => JSON.parse(JSON.stringify({ keys }));

describe('signing key set files', () => {
  it('a set of generated keys of every algorithm survives JSON and parses back unchanged', async () => {
    const keys = await Promise.all((['EdDSA', 'ES256', 'RS256', 'HS256'] as const).map((alg) => generateSigningKey(alg)));
    keys.push(toVerificationOnly(await generateSigningKey()));
    expect(parseSigningKeySet(roundTrip(keys))).toEqual(keys);
  });

  it('generates Ed25519 by default with a random base64url kid', async () => {
    const [a, b] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    expect(a).toMatchObject({ alg: 'EdDSA', publicJwk: { kty: 'OKP', crv: 'Ed25519' }, privateJwk: { d: expect.any(String) } });
    expect(a.kid).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(a.kid).not.toBe(b.kid);
  });

  it('a verification-only key keeps its public part and loses its private one', async () => {
    const key = toVerificationOnly(await generateSigningKey('ES256', 'k1'));
    expect(key).not.toHaveProperty('privateJwk');
    expect(key).toMatchObject({ kid: 'k1', verifyOnly: true, publicJwk: { kty: 'EC', crv: 'P-256' } });
  });

  const cases: [string, (key: Record<string, unknown>) => unknown, RegExp][] = [
    ['not an object', () => 'keys', /expected an object with a "keys" array/],
    ['an empty set', () => ({ keys: [] }), /"keys" is empty/],
    ['a key without kid', (k) => ({ keys: [{ ...k, kid: '' }] }), /keys\[0\]: "kid"/],
    ['an unknown alg', (k) => ({ keys: [{ ...k, alg: 'none' }] }), /"alg" must be one of EdDSA, ES256, RS256, HS256/],
    ['a bad createdAt', (k) => ({ keys: [{ ...k, createdAt: 'yesterday' }] }), /"createdAt"/],
    ['a duplicate kid', (k) => ({ keys: [k, k] }), /appears twice/],
    ['a public JWK of another key type', (k) => ({ keys: [{ ...k, publicJwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' } }] }), /must have kty "OKP" and crv "Ed25519"/],
    ['a private member in the public JWK', (k) => ({ keys: [{ ...k, publicJwk: k.privateJwk }] }), /private key members/],
    ['a private JWK of another pair', (k) => ({ keys: [{ ...k, privateJwk: { ...(k.privateJwk as object), x: 'AAAA' } }] }), /not the same key pair/],
    ['a secret on an asymmetric key', (k) => ({ keys: [{ ...k, secret: 'abc' }] }), /only an HS256 key has a "secret"/],
  ];
  for (const [what, mutate, message] of cases) {
    it(`refuses ${what} with a message naming the problem`, async () => {
      const key = (roundTrip([await generateSigningKey('EdDSA', 'the-kid')]) as { keys: Record<string, unknown>[] }).keys[0]!;
      expect(() => parseSigningKeySet(mutate(key))).toThrow(message);
    });
  }

  it('refuses an HS256 secret shorter than 32 bytes, without echoing it', async () => {
    const key = await generateSigningKey('HS256', 'h1');
    const short = { ...key, secret: Buffer.alloc(31, 1).toString('base64url') };
    expect(() => parseSigningKeySet({ keys: [short] })).toThrow(/"secret" must be base64url of at least 32 bytes/);
    try {
      parseSigningKeySet({ keys: [short] });
    } catch (error) {
      expect(String(error)).not.toContain(short.secret);
    }
  });

  it('refuses an RSA key under 2048 bits', async () => {
    const key = await generateSigningKey('RS256', 'r1');
    const weak = { ...key, privateJwk: undefined, publicJwk: { ...key.publicJwk, n: Buffer.alloc(128, 0xff).toString('base64url') } };
    expect(() => parseSigningKeySet({ keys: [weak] })).toThrow(/at least 2048 bits/);
  });
});
