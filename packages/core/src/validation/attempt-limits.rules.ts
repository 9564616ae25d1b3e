import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { RateLimit } from '../ports/rate-limiter.port.js';
import { checkLimit } from './rate-limit.rules.js';

/**
 * How often a client may spend a password hash or probe the store. Every limit is a fixed window counted BEFORE the
 * work, atomically, on the RateLimiter the instances share. See docs/RELIABILITY.md, "Throttling and limits".
 */
export interface AttemptLimits {
  /**
   * Password checks (Login, ChangePassword) of one login name from one client address; without an address (an
   * embedding app that passes none), of the login name alone. A success forgives the key. Default 10 per 15 minutes.
   */
  loginPerAddress: RateLimit;
  /**
   * Failed and running password checks of one login name from every address together: looser than loginPerAddress,
   * so that one address guessing cannot lock the owner out elsewhere, and yet caps what many addresses may guess.
   * Default 100 per 15 minutes.
   */
  loginPerName: RateLimit;
  /** Failed and running password checks from one client address, whatever the login name. Default 100 per 15 minutes. */
  failedLoginsPerAddress: RateLimit;
  /** Registrations (each spends a hash) from one client address. Default 20 per hour. */
  registrationsPerAddress: RateLimit;
  /** Changes of an account's username or email, whoever makes them: each may probe whether a name is taken. Default 5 per 24 hours. */
  identityChanges: RateLimit;
  /**
   * Second-factor checks (TOTP or recovery code: CompleteLogin, enrolment, DisableTotp...) of one account, whoever
   * makes them; a success gives its attempt back, so only failures fill it. Default 5 per 15 minutes.
   */
  secondFactorPerAccount: RateLimit;
  /** Mails (verification, reset, email change) for one account, whoever asks. Default 5 per hour. */
  mailsPerAccount: RateLimit;
  /**
   * Mails to one address (as normalised), known or not: a password reset for an unknown address is counted exactly
   * like one for a known address, so the answers never tell them apart. Default 5 per hour.
   */
  mailsPerAddress: RateLimit;
  /** Failed and running token redemptions (VerifyEmail, ResetPassword, ConfirmEmailChange) from one client address. Default 30 per 15 minutes. */
  tokenRedemptionsPerAddress: RateLimit;
  /** Exports of one account's data (ExportAccountData), whoever asks: each reads every store. Default 5 per 24 hours. */
  dataExports: RateLimit;
  /** Passkey sign-in challenges (BeginPasskeyLogin: anyone may ask, each writes a row) from one client address. Default 60 per 15 minutes. */
  passkeyChallengesPerAddress: RateLimit;
  /**
   * Password-reset requests (RequestPasswordReset: anyone may ask, each writes rows and may send a mail) from one
   * client address, whatever addresses they name: mailsPerAddress bounds the mails to one victim, this bounds how many
   * victims (and rows for unknown addresses) one client reaches. Default 20 per hour.
   */
  passwordResetRequestsPerAddress: RateLimit;
}

const MINUTE = 60_000;

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = Object.freeze({
  loginPerAddress: { max: 10, windowMs: 15 * MINUTE },
  loginPerName: { max: 100, windowMs: 15 * MINUTE },
  failedLoginsPerAddress: { max: 100, windowMs: 15 * MINUTE },
  registrationsPerAddress: { max: 20, windowMs: 60 * MINUTE },
  identityChanges: { max: 5, windowMs: 24 * 60 * MINUTE },
  secondFactorPerAccount: { max: 5, windowMs: 15 * MINUTE },
  mailsPerAccount: { max: 5, windowMs: 60 * MINUTE },
  mailsPerAddress: { max: 5, windowMs: 60 * MINUTE },
  tokenRedemptionsPerAddress: { max: 30, windowMs: 15 * MINUTE },
  dataExports: { max: 5, windowMs: 24 * 60 * MINUTE },
  passkeyChallengesPerAddress: { max: 60, windowMs: 15 * MINUTE },
  passwordResetRequestsPerAddress: { max: 20, windowMs: 60 * MINUTE },
});

/** Refuses (RangeError) any limit that allows nothing or never ends. */
export function checkAttemptLimits(limits: AttemptLimits): void {
  for (const limit of Object.values(limits) as RateLimit[]) checkLimit(limit);
}

/**
 * The part of a client address that one client controls: an IPv4 address as it is, an IPv4-mapped IPv6 address as
 * its IPv4 address, any other IPv6 address as its /64 (one subscriber usually holds a whole /64, so counting single
 * IPv6 addresses would let one client rotate through 2^64 of them). Anything else (an embedding app's own notion of
 * a client) is kept as given.
 */
export function addressBucket(clientAddress: string): string {
  const address = clientAddress.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return clientAddress;
  const groups = expandIPv6(address);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail counts as two). */
export function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(rest);
  return rest === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The rate-limit key of `kind` for `parts`: a SHA-256 digest, so the shared store holds no login name, email or
 * address, and every key has the same short length whatever was typed.
 */
export function attemptKey(kind: string, ...parts: string[]): string {
  // JSON keeps the parts apart whatever they contain: ('a\nb') and ('a', 'b') are two keys.
  return `${kind}:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url')}`;
}
