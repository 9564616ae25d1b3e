import { canSign, generateSigningKey, toVerificationOnly, type SigningAlgorithm } from '@authsvc/core';
import type { StoredKey } from './key-set-file.codec.js';

/** What an operator sees of a key: never its material. */
export type KeyState = 'signing' | 'staged' | 'verification-only';

/**
 * A staged key was added by `keys rotate --stage`: it keeps its private part but may not sign yet, so every
 * instance learns to verify its tokens before any instance signs with it.
 */
export function isStaged(key: StoredKey): boolean {
  return key.verifyOnly === true && key.retiredAt === undefined && (key.alg === 'HS256' ? key.secret !== undefined : key.privateJwk !== undefined);
}

export function keyState(key: StoredKey): KeyState {
  if (canSign(key)) return 'signing';
  return isStaged(key) ? 'staged' : 'verification-only';
}

/** The key the server signs with: the newest that may sign. */
export function signingKey(keys: readonly StoredKey[]): StoredKey | undefined {
  return keys.filter(canSign).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

function retire(key: StoredKey, now: Date): StoredKey {
  // toVerificationOnly drops the private JWK (an HS256 key keeps its secret: it verifies with it) and sets verifyOnly.
  return { ...toVerificationOnly(key), retiredAt: now.toISOString() };
}

export interface RotationResult {
  keys: StoredKey[];
  /** The key that signs from now on (or, when staging, the staged key). */
  kid: string;
  /** Keys turned verification-only by this rotation. */
  retired: string[];
  /** True when an earlier staged key was promoted instead of generating one. */
  promoted: boolean;
}

/**
 * Rotation in one step (a new key signs, the previous ones only verify) or, with `stage`, the first of two steps:
 * the new key is added verification-only, then a later rotation promotes it. Two steps matter with several
 * instances: after the first roll-out every instance verifies the new key, so whichever instance signs with it
 * first, its tokens are accepted everywhere.
 */
export async function rotateKeys(keys: readonly StoredKey[], options: { alg?: SigningAlgorithm; stage: boolean; now: Date }): Promise<RotationResult> {
  const alg = options.alg ?? signingKey(keys)?.alg ?? 'EdDSA';
  if (options.stage) {
    const staged: StoredKey = { ...(await generateSigningKey(alg)), verifyOnly: true };
    return { keys: [...keys, staged], kid: staged.kid, retired: [], promoted: false };
  }
  const candidate = keys.filter(isStaged).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
  const next: StoredKey = candidate ? { ...candidate } : await generateSigningKey(alg);
  delete next.verifyOnly;
  const retired: string[] = [];
  const rest = keys
    .filter((key) => key.kid !== next.kid)
    .map((key) => {
      if (key.retiredAt !== undefined || keyState(key) === 'verification-only') return key;
      retired.push(key.kid);
      return retire(key, options.now);
    });
  // Every other key now only verifies, so `next` is the one the server signs with, whatever its createdAt.
  return { keys: [...rest, next], kid: next.kid, retired, promoted: candidate !== undefined };
}

/** When a verification-only key stopped signing: recorded by rotation, else (older files) when the next key appeared. */
export function retiredSince(key: StoredKey, keys: readonly StoredKey[]): Date | undefined {
  if (key.retiredAt !== undefined) return new Date(key.retiredAt);
  const created = Date.parse(key.createdAt);
  const successor = keys
    .map((k) => Date.parse(k.createdAt))
    .filter((t) => t > created)
    .sort((a, b) => a - b)[0];
  return successor === undefined ? undefined : new Date(successor);
}

/**
 * Removes verification-only keys retired at least `olderThanMs` ago: every token they signed has expired by then
 * when `olderThanMs` is at least the access-token lifetime. Never removes a signing or staged key.
 */
export function pruneKeys(keys: readonly StoredKey[], options: { olderThanMs: number; now: Date }): { keys: StoredKey[]; removed: string[] } {
  const removed: string[] = [];
  const kept = keys.filter((key) => {
    if (keyState(key) !== 'verification-only') return true;
    const since = retiredSince(key, keys);
    if (since === undefined || options.now.getTime() - since.getTime() < options.olderThanMs) return true;
    removed.push(key.kid);
    return false;
  });
  return { keys: kept, removed };
}
