import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export const SIGNING_ALGORITHMS = ['EdDSA', 'ES256', 'RS256', 'HS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/**
 * One access-token key as a key file holds it: plain JSON, so a signing key set file is
 * `{ "keys": [SigningKeyMaterial, ...] }`.
 *
 * - Asymmetric keys (EdDSA = Ed25519, ES256 = P-256, RS256 = RSA >= 2048 bits) carry `publicJwk`
 *   and, while they may sign, `privateJwk`. Without `privateJwk` a key only verifies: after a
 *   rotation the old key stays in the file this way until the last token it signed has expired.
 * - HS256 keys carry `secret` (base64url, >= 32 bytes) and no JWK; the secret both signs and
 *   verifies, so a retired HS256 key is marked `verifyOnly: true` instead.
 * - The newest key (by `createdAt`) that may sign signs; every key verifies tokens naming its `kid`.
 */
export interface SigningKeyMaterial {
  kid: string;
  alg: SigningAlgorithm;
  /** ISO 8601 instant; decides which key is the newest. */
  createdAt: string;
  privateJwk?: JWK;
  publicJwk: JWK | undefined;
  /** HS256 only: the shared secret, base64url. */
  secret?: string;
  /** Set by rotation on a key that must no longer sign (needed for HS256, harmless for others). */
  verifyOnly?: boolean;
}

/** Minimum HS256 secret: as long as the SHA-256 output (RFC 7518 §3.2). */
export const MIN_HMAC_SECRET_BYTES = 32;

/** Whether this key may sign new tokens. */
export function canSign(key: SigningKeyMaterial): boolean {
  if (key.verifyOnly === true) return false;
  return key.alg === 'HS256' ? key.secret !== undefined : key.privateJwk !== undefined;
}

/** A fresh key: Ed25519 unless told otherwise; `kid` defaults to 96 random bits, base64url. */
export async function generateSigningKey(alg: SigningAlgorithm = 'EdDSA', kid: string = randomBytes(12).toString('base64url')): Promise<SigningKeyMaterial> {
  const createdAt = new Date().toISOString();
  if (alg === 'HS256') {
    return { kid, alg, createdAt, publicJwk: undefined, secret: randomBytes(MIN_HMAC_SECRET_BYTES).toString('base64url') };
  }
  const options = alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : alg === 'RS256' ? { modulusLength: 2048, extractable: true } : { extractable: true };
  const { privateKey, publicKey } = await generateKeyPair(alg, options);
  return { kid, alg, createdAt, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

/** The same key, able only to verify: what a key becomes in the file when a newer key replaces it. */
export function toVerificationOnly(key: SigningKeyMaterial): SigningKeyMaterial {
  const { privateJwk: _private, ...rest } = key;
  return { ...rest, verifyOnly: true };
}
