import { createHash, randomBytes } from 'node:crypto';

/** A secret of 256 random bits for a client to hold (MFA ticket, ceremony id), base64url. */
export function newTicketSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What a store keeps of a high-entropy secret: its SHA-256, base64url. A fast hash suffices: nothing to brute-force. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** 32 letters and digits without I, O, 0 and 1, which read alike. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Recovery codes issued at once. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * A recovery code: 16 characters of a 32-letter alphabet (80 bits) grouped by four, `ABCD-EFGH-JKMN-PQRS`. Long
 * enough that its SHA-256 alone protects it at rest.
 */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b & 31]!).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** The code as typed, in its canonical form: upper case, without separators or spaces. */
export function normalizeRecoveryCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** The stored hash of a recovery code as typed. */
export function recoveryCodeDigest(typed: string): string {
  return secretDigest(`recovery:${normalizeRecoveryCode(typed)}`);
}
