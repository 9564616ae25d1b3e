import { createHmac, createPrivateKey, createSecretKey, sign, type JsonWebKey } from 'node:crypto';
import type { SigningKeyMaterial } from './signing-key.model.js';

/** Signs a JWS signing input (`base64url(header).base64url(payload)`) and returns the base64url signature. */
export type JwsSignature = (signingInput: string) => string;

/**
 * The signature function of a key that may sign, on node:crypto with the key imported once.
 *
 * Why not jose's SignJWT: jose signs through WebCrypto, whose per-call overhead (argument normalisation, a job on
 * the libuv pool, a promise) made an Ed25519 signature cost ~100 µs of CPU against ~30 µs for the same signature
 * with node:crypto (measured in docs/PERFORMANCE.md). The output is the same JWS (RFC 7515 compact form, RFC 7518
 * algorithms); verification stays with jose.
 */
export function jwsSignatureFor(key: SigningKeyMaterial): JwsSignature {
  if (key.alg === 'HS256') {
    const secret = createSecretKey(Buffer.from(key.secret!, 'base64url'));
    return (input) => createHmac('sha256', secret).update(input).digest('base64url');
  }
  const privateKey = createPrivateKey({ key: key.privateJwk as JsonWebKey, format: 'jwk' });
  switch (key.alg) {
    case 'EdDSA':
      return (input) => sign(null, Buffer.from(input), privateKey).toString('base64url');
    case 'ES256':
      // JWS wants the raw r || s pair (RFC 7518 §3.4), not OpenSSL's DER encoding.
      return (input) => sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    case 'RS256':
      // RSASSA-PKCS1-v1_5, node's default padding for an RSA key.
      return (input) => sign('sha256', Buffer.from(input), privateKey).toString('base64url');
  }
}

/** base64url of the JSON of a JWS header or JWT claims set. */
export function encodeJwsPart(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
