/**
 * How refresh tokens are written: an authenticated encoding of (sessionId, counter), so the session store
 * keeps only the current counter and the server can re-derive any successor (the crypto folder's
 * RefreshTokenCodec, HMAC-SHA-256 under the service's refresh-token secret).
 */
export interface RefreshTokenFormat {
  /** The refresh token number `counter` of the session. Deterministic: the same inputs give the same token. */
  encode(sessionId: string, counter: number): string;
  /** The session and counter of an authentic token; null for a malformed or forged one. */
  decode(token: string): { sessionId: string; counter: number } | null;
}
