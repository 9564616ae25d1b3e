/**
 * Documented limits of every input field (docs and the proto comments repeat them).
 * Lengths count Unicode code points, as PostgreSQL's varchar(n) does; the password counts UTF-8 bytes
 * because bcrypt only ever reads the first 72 bytes and we refuse to truncate silently (with argon2id configured the
 * maximum is the hasher's, 1024 bytes: PasswordHasher.maxPasswordBytes).
 */
export const VALIDATION_LIMITS = {
  username: { min: 3, max: 32 },
  email: { max: 254, localPartMax: 64 },
  author: { min: 1, max: 64 },
  producer: { max: 64 },
  description: { max: 1000 },
  age: { min: 1, max: 150 },
  /** Minimum in characters, maximum in UTF-8 bytes (bcrypt's limit; the hasher's maxPasswordBytes where it differs). */
  password: { minChars: 8, maxBytes: 72 },
  /** A login (username or email) can never be longer than the longest email. */
  login: { max: 254 },
  /** A device name given at Login ("Kitchen speaker"). */
  deviceName: { max: 64 },
  /** A user agent is kept truncated to this many characters (never refused: clients do not choose it freely). */
  userAgent: { max: 256 },
  /** An admin's reason for disabling an account. */
  reason: { max: 500 },
} as const;
