import type { Role } from '../domain/account.model.js';
import type { AuthMethod } from '../domain/second-factor.model.js';

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
  /** How the session was signed in (`amr`, RFC 8176): `pwd`, `otp`, `hwk`, `swk`, `mfa`. */
  amr: AuthMethod[];
  /** When the session's sign-in last presented a credential (`auth_time`). */
  authTime: Date;
}

/** What a signer needs; `amr` defaults to `['pwd']` and `authTime` to `issuedAt`. */
export interface AccessTokenInput {
  accountId: string;
  sessionId: string;
  role: Role;
  issuedAt: Date;
  expiresAt: Date;
  amr?: readonly AuthMethod[];
  authTime?: Date;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

/** Signs access tokens with the newest active key. */
export interface AccessTokenSigner {
  /** A signed access token for this account and session, expiring at `expiresAt`. */
  sign(input: AccessTokenInput): Promise<IssuedAccessToken>;
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
