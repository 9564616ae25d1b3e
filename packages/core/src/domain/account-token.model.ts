import { createHash, randomBytes } from 'node:crypto';

/** What a mailed token lets its holder do; a token of one purpose is refused for any other. */
export const TOKEN_PURPOSES = ['verify-email', 'reset-password', 'change-email'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** A token as the store keeps it: never the token itself, only its SHA-256. */
export interface AccountToken {
  /** tokenHash(token): the only form in which a token is stored. */
  hash: string;
  purpose: TokenPurpose;
  accountId: string;
  /** The address the token was mailed to (for change-email: the new address), as typed. */
  email: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A new secret token: 256 bits from the operating system's CSPRNG, base64url (43 characters). */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stored form of a token: SHA-256, base64url. A plain hash suffices (no salt, no slow hash) because the token
 * has 256 random bits: nobody can guess one from its hash, and a fast hash keeps a lookup by hash possible.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Whether `value` has the shape newSecretToken gives (so a malformed value costs no store round trip). */
export function isWellFormedToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
