import type { JWK } from 'jose';
import { MIN_HMAC_SECRET_BYTES, SIGNING_ALGORITHMS, type SigningAlgorithm, type SigningKeyMaterial } from './signing-key.model.js';

/** The JWK members that must match for each algorithm, and the public members a private key shares. */
const KEY_SHAPES: Record<Exclude<SigningAlgorithm, 'HS256'>, { kty: string; crv?: string; publicMembers: string[] }> = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519', publicMembers: ['x'] },
  ES256: { kty: 'EC', crv: 'P-256', publicMembers: ['x', 'y'] },
  RS256: { kty: 'RSA', publicMembers: ['n', 'e'] },
};

/** Members that only a private or symmetric JWK has; a public JWK must have none of them. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Validates a signing key set file (`{ "keys": [...] }`, see SigningKeyMaterial) and returns its keys.
 * Throws an Error naming the offending key and member; the message never contains key material.
 */
export function parseSigningKeySet(json: unknown): SigningKeyMaterial[] {
  if (!isObject(json) || !Array.isArray(json.keys)) throw new Error('signing key set: expected an object with a "keys" array');
  if (json.keys.length === 0) throw new Error('signing key set: "keys" is empty');
  const keys = json.keys.map((entry, index) => parseKey(entry, `signing key set: keys[${index}]`));
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.kid)) throw new Error(`signing key set: kid "${key.kid}" appears twice`);
    seen.add(key.kid);
  }
  return keys;
}

function parseKey(entry: unknown, where: string): SigningKeyMaterial {
  if (!isObject(entry)) throw new Error(`${where}: expected an object`);
  const { kid, alg, createdAt, privateJwk, publicJwk, secret, verifyOnly } = entry;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 128) throw new Error(`${where}: "kid" must be a non-empty string of at most 128 characters`);
  where = `${where} (kid "${kid}")`;
  if (typeof alg !== 'string' || !(SIGNING_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new Error(`${where}: "alg" must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  }
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw new Error(`${where}: "createdAt" must be an ISO 8601 date`);
  if (verifyOnly !== undefined && typeof verifyOnly !== 'boolean') throw new Error(`${where}: "verifyOnly" must be a boolean`);
  const base = { kid, alg: alg as SigningAlgorithm, createdAt, ...(verifyOnly === undefined ? {} : { verifyOnly }) };

  if (alg === 'HS256') {
    if (publicJwk !== undefined || privateJwk !== undefined) throw new Error(`${where}: an HS256 key has a "secret" and no JWK`);
    if (typeof secret !== 'string' || !BASE64URL.test(secret) || Buffer.from(secret, 'base64url').length < MIN_HMAC_SECRET_BYTES) {
      throw new Error(`${where}: "secret" must be base64url of at least ${MIN_HMAC_SECRET_BYTES} bytes`);
    }
    return { ...base, publicJwk: undefined, secret };
  }

  if (secret !== undefined) throw new Error(`${where}: only an HS256 key has a "secret"`);
  const shape = KEY_SHAPES[alg as Exclude<SigningAlgorithm, 'HS256'>];
  const describe = `kty "${shape.kty}"${shape.crv ? ` and crv "${shape.crv}"` : ''}`;
  if (!isObject(publicJwk)) throw new Error(`${where}: "publicJwk" must be a JWK object`);
  if (publicJwk.kty !== shape.kty || (shape.crv !== undefined && publicJwk.crv !== shape.crv)) throw new Error(`${where}: "publicJwk" of an ${alg} key must have ${describe}`);
  for (const member of shape.publicMembers) {
    if (typeof publicJwk[member] !== 'string') throw new Error(`${where}: "publicJwk" lacks "${member}"`);
  }
  if (alg === 'RS256' && Buffer.from(publicJwk.n as string, 'base64url').length < 256) throw new Error(`${where}: an RS256 key must have a modulus of at least 2048 bits`);
  if (PRIVATE_MEMBERS.some((member) => member in publicJwk)) throw new Error(`${where}: "publicJwk" contains private key members`);
  if (privateJwk === undefined) return { ...base, publicJwk: publicJwk as JWK };

  if (!isObject(privateJwk) || typeof privateJwk.d !== 'string') throw new Error(`${where}: "privateJwk" must be a private JWK (with "d")`);
  if (privateJwk.kty !== shape.kty || (shape.crv !== undefined && privateJwk.crv !== shape.crv)) throw new Error(`${where}: "privateJwk" of an ${alg} key must have ${describe}`);
  for (const member of shape.publicMembers) {
    if (privateJwk[member] !== publicJwk[member]) throw new Error(`${where}: "privateJwk" and "publicJwk" are not the same key pair`);
  }
  return { ...base, privateJwk: privateJwk as JWK, publicJwk: publicJwk as JWK };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
