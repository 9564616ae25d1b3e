/**
 * Stored password hashes, read into their algorithm and parameters. Two families:
 * - bcrypt in its own modular-crypt form, `$2a$`/`$2b$`/`$2y$` (`$2a$` is what Go's x/crypto/bcrypt writes);
 * - PHC strings (https://github.com/P-H-C/phc-string-format): `$argon2id$v=19$m=..,t=..,p=..$salt$hash`,
 *   `$scrypt$ln=..,r=..,p=..$salt$hash` and `$pbkdf2-sha256$i=..[,l=..]$salt$hash`. Salts and digests are in PHC's B64
 *   (standard alphabet, no padding); passlib's variant with `.` for `+` is read too, and so is passlib's
 *   `$pbkdf2-sha256$<rounds>$...` (the rounds without `i=`).
 *
 * Every parameter is bounded: a hash asking for more work or memory than the bounds is not a hash this service will
 * verify (an imported row must not be able to stall a hashing thread for minutes or take a gigabyte).
 */

/** The algorithms this service can verify. */
export const VERIFIABLE_ALGORITHMS = ['bcrypt', 'argon2id', 'scrypt', 'pbkdf2-sha256'] as const;
export type VerifiableAlgorithm = (typeof VERIFIABLE_ALGORITHMS)[number];

/** The algorithms this service can make new hashes with. */
export const HASHING_ALGORITHMS = ['bcrypt', 'argon2id'] as const;
export type HashingAlgorithm = (typeof HASHING_ALGORITHMS)[number];

/** Bounds of what a stored hash may ask for; documented in docs/decisions/0007-password-hashing.md. */
export const PASSWORD_HASH_BOUNDS = {
  bcrypt: { minCost: 4, maxCost: 16 },
  /** Memory in KiB (256 MiB), passes, lanes. */
  argon2id: { maxMemoryKiB: 262_144, maxIterations: 20, maxParallelism: 16 },
  /** log2(N), block size, parallelism; and 128·N·r bytes of memory at most 256 MiB. */
  scrypt: { maxLogN: 20, maxBlockSize: 32, maxParallelism: 16, maxMemoryBytes: 256 * 1024 * 1024 },
  pbkdf2: { maxIterations: 10_000_000 },
  /** Salt and digest sizes, in bytes, of the scrypt and PBKDF2 hashes. */
  saltBytes: { min: 8, max: 64 },
  digestBytes: { min: 16, max: 64 },
} as const;

export interface BcryptHash {
  algorithm: 'bcrypt';
  cost: number;
  /** The hash as stored: bcryptjs reads it whole. */
  encoded: string;
}
export interface Argon2idHash {
  algorithm: 'argon2id';
  version: number;
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  /** The hash as stored: the argon2 library reads it whole. */
  encoded: string;
}
export interface ScryptHash {
  algorithm: 'scrypt';
  logN: number;
  blockSize: number;
  parallelism: number;
  salt: Uint8Array;
  digest: Uint8Array;
}
export interface Pbkdf2Sha256Hash {
  algorithm: 'pbkdf2-sha256';
  iterations: number;
  salt: Uint8Array;
  digest: Uint8Array;
}
export type ParsedPasswordHash = BcryptHash | Argon2idHash | ScryptHash | Pbkdf2Sha256Hash;

/** A hash read, or why it cannot be (one sentence, for an import's error report; never shows the hash). */
export type PasswordHashReading = { ok: true; hash: ParsedPasswordHash } | { ok: false; problem: string };

const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;
const B64 = /^[A-Za-z0-9+/.]+$/;
const NUMBER = /^(0|[1-9]\d{0,9})$/;
const UNKNOWN = 'must be a bcrypt ($2a$, $2b$, $2y$), argon2id, scrypt or pbkdf2-sha256 (PHC) hash';

/** Reads `encoded` into its algorithm and parameters, within PASSWORD_HASH_BOUNDS. */
export function readPasswordHash(encoded: string): PasswordHashReading {
  if (typeof encoded !== 'string' || encoded.length > 512) return fail(UNKNOWN);
  if (encoded.startsWith('$2')) return readBcrypt(encoded);
  const parts = encoded.split('$');
  if (parts[0] !== '') return fail(UNKNOWN);
  switch (parts[1]) {
    case 'argon2id':
      return readArgon2id(encoded, parts);
    case 'scrypt':
      return readScrypt(parts);
    case 'pbkdf2-sha256':
      return readPbkdf2(parts);
    default:
      return fail(UNKNOWN);
  }
}

/** The parsed hash, or null when it is malformed or out of bounds. */
export function parsePasswordHash(encoded: string): ParsedPasswordHash | null {
  const reading = readPasswordHash(encoded);
  return reading.ok ? reading.hash : null;
}

function readBcrypt(encoded: string): PasswordHashReading {
  const match = BCRYPT.exec(encoded);
  if (!match) return fail(UNKNOWN);
  const cost = Number(match[1]);
  const { minCost, maxCost } = PASSWORD_HASH_BOUNDS.bcrypt;
  if (cost < minCost || cost > maxCost) return fail(`bcrypt cost must be ${minCost} to ${maxCost}`);
  return ok({ algorithm: 'bcrypt', cost, encoded });
}

function readArgon2id(encoded: string, parts: string[]): PasswordHashReading {
  // ['', 'argon2id', 'v=19', 'm=..,t=..,p=..', salt, hash]
  if (parts.length !== 6 || parts[2] !== 'v=19') return fail('argon2id hash must be version 19 with m, t and p');
  const params = readParams(parts[3]!, ['m', 't', 'p']);
  if (params === null) return fail('argon2id hash must have the parameters m, t and p, in this order');
  const salt = b64(parts[4]!);
  const digest = b64(parts[5]!);
  if (salt === null || digest === null || salt.length < 8 || digest.length < 16 || digest.length > 64) {
    return fail('argon2id hash must have a salt of at least 8 bytes and a digest of 16 to 64 bytes');
  }
  const { m, t, p } = params as { m: number; t: number; p: number };
  const bounds = PASSWORD_HASH_BOUNDS.argon2id;
  if (p < 1 || p > bounds.maxParallelism || t < 1 || t > bounds.maxIterations || m < 8 * p || m > bounds.maxMemoryKiB) {
    return fail(`argon2id parameters must be m=8p..${bounds.maxMemoryKiB}, t=1..${bounds.maxIterations}, p=1..${bounds.maxParallelism}`);
  }
  return ok({ algorithm: 'argon2id', version: 19, memoryKiB: m, iterations: t, parallelism: p, encoded });
}

function readScrypt(parts: string[]): PasswordHashReading {
  if (parts.length !== 5) return fail('scrypt hash must be $scrypt$ln=..,r=..,p=..$salt$hash');
  const params = readParams(parts[2]!, ['ln', 'r', 'p']);
  if (params === null) return fail('scrypt hash must have the parameters ln, r and p, in this order');
  const { ln, r, p } = params as { ln: number; r: number; p: number };
  const bounds = PASSWORD_HASH_BOUNDS.scrypt;
  if (ln < 1 || ln > bounds.maxLogN || r < 1 || r > bounds.maxBlockSize || p < 1 || p > bounds.maxParallelism || 128 * 2 ** ln * r > bounds.maxMemoryBytes) {
    return fail(`scrypt parameters must be ln=1..${bounds.maxLogN}, r=1..${bounds.maxBlockSize}, p=1..${bounds.maxParallelism}, at most 256 MiB`);
  }
  const bytes = saltAndDigest(parts[3]!, parts[4]!, 'scrypt');
  if ('problem' in bytes) return fail(bytes.problem);
  return ok({ algorithm: 'scrypt', logN: ln, blockSize: r, parallelism: p, ...bytes });
}

function readPbkdf2(parts: string[]): PasswordHashReading {
  if (parts.length !== 5) return fail('pbkdf2-sha256 hash must be $pbkdf2-sha256$i=..$salt$hash');
  // PHC: `i=600000` or `i=600000,l=32`; passlib: the bare number.
  const params = NUMBER.test(parts[2]!) ? { i: Number(parts[2]) } : (readParams(parts[2]!, ['i', 'l']) ?? readParams(parts[2]!, ['i']));
  if (params === null) return fail('pbkdf2-sha256 hash must have the parameter i (and optionally l)');
  const iterations = params['i']!;
  const { maxIterations } = PASSWORD_HASH_BOUNDS.pbkdf2;
  if (iterations < 1 || iterations > maxIterations) return fail(`pbkdf2-sha256 iterations must be 1 to ${maxIterations}`);
  const bytes = saltAndDigest(parts[3]!, parts[4]!, 'pbkdf2-sha256');
  if ('problem' in bytes) return fail(bytes.problem);
  if (params['l'] !== undefined && params['l'] !== bytes.digest.length) return fail('pbkdf2-sha256 parameter l must be the digest length');
  return ok({ algorithm: 'pbkdf2-sha256', iterations, ...bytes });
}

function saltAndDigest(saltText: string, digestText: string, name: string): { salt: Uint8Array; digest: Uint8Array } | { problem: string } {
  const salt = b64(saltText);
  const digest = b64(digestText);
  const { saltBytes, digestBytes } = PASSWORD_HASH_BOUNDS;
  if (salt === null || digest === null || salt.length < saltBytes.min || salt.length > saltBytes.max || digest.length < digestBytes.min || digest.length > digestBytes.max) {
    return { problem: `${name} hash must have a B64 salt of ${saltBytes.min} to ${saltBytes.max} bytes and a digest of ${digestBytes.min} to ${digestBytes.max} bytes` };
  }
  return { salt, digest };
}

/** `a=1,b=2` with exactly the names given, in order, each a decimal number; null otherwise. */
function readParams(text: string, names: readonly string[]): Record<string, number> | null {
  const pairs = text.split(',');
  if (pairs.length !== names.length) return null;
  const values: Record<string, number> = {};
  for (const [at, pair] of pairs.entries()) {
    const [name, value, extra] = pair.split('=');
    if (name === undefined || name !== names[at] || value === undefined || extra !== undefined || !NUMBER.test(value)) return null;
    values[name] = Number(value);
  }
  return values;
}

/** PHC B64 (no padding), passlib's `.` for `+` admitted; null for anything that is not canonical base64. */
function b64(text: string): Uint8Array | null {
  if (!B64.test(text) || text.length % 4 === 1) return null;
  const standard = text.replace(/\./g, '+');
  const bytes = Buffer.from(standard, 'base64');
  // Buffer's decoder skips what it cannot read; a round trip proves nothing was skipped.
  if (bytes.toString('base64').replace(/=+$/, '') !== standard) return null;
  return new Uint8Array(bytes);
}

const ok = (hash: ParsedPasswordHash): PasswordHashReading => ({ ok: true, hash });
const fail = (problem: string): PasswordHashReading => ({ ok: false, problem });
