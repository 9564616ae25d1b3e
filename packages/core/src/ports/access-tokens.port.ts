import type { Role } from '../domain/account.model.js';

/** Claims of a verified access token. */
export interface AccessTokenClaims {
  /** Account id (`sub`). */
  accountId: string;
  /** Session id (`sid`). */
  sessionId: string;
  role: Role;
  /** Token id (`jti`). */
  tokenId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

/** Signs access tokens with the newest active key. */
export interface AccessTokenSigner {
  /** A signed access token for this account and session, expiring at `expiresAt`. */
  sign(input: { accountId: string; sessionId: string; role: Role; issuedAt: Date; expiresAt: Date }): Promise<IssuedAccessToken>;
}

/** Verifies access tokens against every active key, pinning algorithm, issuer, audience and type. */
export interface AccessTokenVerifier {
  /** The claims of a valid token; throws ACCESS_TOKEN_INVALID otherwise (bad signature, expired, wrong type...). Does not check revocation. */
  verify(token: string, now: Date): Promise<AccessTokenClaims>;
}

/** A JSON Web Key Set (RFC 7517) of public keys only. */
export interface JsonWebKeySet {
  keys: Record<string, unknown>[];
}

/** Publishes the public keys that verify access tokens. */
export interface PublicKeySet {
  /** Every active verification key, public parts only (empty for HS256). */
  jwks(): Promise<JsonWebKeySet>;
}
