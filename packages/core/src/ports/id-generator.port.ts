/** Makes identifiers. */
export interface IdGenerator {
  /** A new UUID v7 (time-ordered). */
  uuid(): string;
  /** A new session id: 128 random bits, base64url, 22 characters. */
  sessionId(): string;
}
