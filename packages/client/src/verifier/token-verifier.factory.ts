import { hash } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthClient } from '../auth-client.factory.js';
import type { BreakerState, CircuitBreakerOptions } from './circuit-breaker.util.js';
import { ExpiringCache } from './expiring-cache.util.js';
import { grpcKeySet } from './grpc-key-set.adapter.js';
import { RevocationCheck } from './revocation-check.adapter.js';
import { TokenRejectedError } from './token-verifier.errors.js';

/** The JWT `typ` of the service's access tokens (RFC 9068): no other JWT passes as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The roles an access token may carry (claim `role`). */
export const ACCESS_TOKEN_ROLES = ['USER', 'ARTIST', 'ADMIN'] as const;
export type AccessTokenRole = (typeof ACCESS_TOKEN_ROLES)[number];

/** The public-key algorithms the service signs with; a symmetric key is never in a published key set. */
const ALGORITHMS = ['EdDSA', 'ES256', 'RS256'];
const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'sid', 'role', 'iat', 'exp', 'jti'];
/** `amr` values of a second factor (RFC 8176): one of them satisfies the role policy. */
const SECOND_FACTOR_METHODS: ReadonlySet<string> = new Set(['otp', 'hwk', 'swk']);
/** Longer than any access token of the service (as its own verifier): refused before any work. */
const MAX_TOKEN_LENGTH = 16_384;

/** What a verified access token says. */
export interface VerifiedAccessToken {
  /** The account id (claim `sub`). */
  subject: string;
  /** The login session (claim `sid`). */
  sessionId: string;
  role: AccessTokenRole;
  /** The token id (claim `jti`). */
  tokenId: string;
  issuedAt: Date;
  expiresAt: Date;
  /** How the session was signed in (claim `amr`, RFC 8176): `pwd`, `otp`, `mfa`... (`['pwd']` for tokens that carry none). */
  amr: string[];
  /** When the session's sign-in presented its last credential (claim `auth_time`; `issuedAt` for tokens that carry none). */
  authTime: Date;
}

export interface TokenVerifierOptions {
  /** The service's `jwt.issuer` (AUTH_JWT_ISSUER). */
  issuer: string;
  /** The service's `jwt.audience` (AUTH_JWT_AUDIENCE). */
  audience: string;
  /** Where the public keys come from: the HTTP side port's `/.well-known/jwks.json` URL, or a client (GetJwks). */
  jwks: string | URL | AuthClient;
  /**
   * 'none': the token is checked locally only, so a token of a revoked session is accepted until it expires (15 min
   * by default). 'check': ValidateToken is asked too (answers cached for seconds), and when it cannot answer the token
   * is refused.
   */
  revocation: 'none' | 'check';
  /** The client that asks ValidateToken with 'check' when `jwks` is a URL. */
  client?: AuthClient;
  /** Seconds of clock skew tolerated on exp, nbf and iat. Default 5 (as the service). */
  clockToleranceSeconds?: number;
  /**
   * Tokens whose signature and claims verified, remembered (by SHA-256, never the token) until they expire, so a
   * caller presenting the same token on every request costs one signature check per token. Default 10 000; 0: none.
   */
  verifiedTokenCacheSize?: number;
  /** How long keys are kept before they are fetched again. Default 600 000 ms (10 min). */
  jwksCacheMaxAgeMs?: number;
  /** A token naming an unknown key fetches the key set again at most this often. Default 30 000 ms. */
  jwksCooldownMs?: number;
  /** Deadline of one key-set fetch. Default 5 000 ms. */
  jwksTimeoutMs?: number;
  /** With 'check': how long a "not revoked" answer is trusted. Default 5 000 ms. */
  revocationCacheTtlMs?: number;
  /** With 'check': tokens remembered at most. Default 10 000. */
  revocationCacheMaxEntries?: number;
  /** With 'check': deadline of one ValidateToken call. Default 2 000 ms. */
  revocationTimeoutMs?: number;
  /** With 'check': when ValidateToken stops being asked. Default 5 failures in a row open it for 10 000 ms. */
  breaker?: CircuitBreakerOptions;
  /**
   * The service's `mfa.requiredForRoles` (AUTH_MFA_REQUIRED_FOR_ROLES): a token of one of these roles whose `amr`
   * holds no second factor (`otp`, `hwk`, `swk`) is refused with 'mfa_enrolment_required', as ValidateToken refuses it.
   * Default ['ADMIN'], the service's default; [] when the service runs with the policy off ("none").
   */
  mfaRequiredForRoles?: readonly AccessTokenRole[];
}

export interface TokenVerifier {
  /** The token's claims, or a TokenRejectedError saying why it is refused. */
  verify(token: string): Promise<VerifiedAccessToken>;
  /** The circuit breaker around ValidateToken ('closed' with revocation 'none'). */
  readonly breakerState: BreakerState;
}

/**
 * Verifies the service's access tokens inside another service: signature against the service's public keys (fetched
 * and cached by jose), issuer, audience, type `at+jwt`, lifetime with a small clock skew, and the claims the service
 * issues; with revocation 'check', the session too.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  if (!options.issuer || !options.audience) throw new TypeError('token verifier: issuer and audience are required');
  const keySetOptions = { cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000, cooldownDuration: options.jwksCooldownMs ?? 30_000, timeoutDuration: options.jwksTimeoutMs ?? 5_000 };
  const jwksClient = isClient(options.jwks) ? options.jwks : undefined;
  const keys: JWTVerifyGetKey = jwksClient ? grpcKeySet(jwksClient, keySetOptions) : createRemoteJWKSet(new URL(options.jwks as string | URL), keySetOptions);
  let revocation: RevocationCheck | undefined;
  if (options.revocation === 'check') {
    const client = options.client ?? jwksClient;
    if (!client) throw new TypeError("token verifier: revocation 'check' needs a client (pass `client`, or a client as `jwks`)");
    revocation = new RevocationCheck(client, {
      ...(options.revocationCacheTtlMs === undefined ? {} : { cacheTtlMs: options.revocationCacheTtlMs }),
      ...(options.revocationCacheMaxEntries === undefined ? {} : { cacheMaxEntries: options.revocationCacheMaxEntries }),
      ...(options.revocationTimeoutMs === undefined ? {} : { timeoutMs: options.revocationTimeoutMs }),
      ...(options.breaker === undefined ? {} : { breaker: options.breaker }),
    });
  } else if (options.revocation !== 'none') {
    throw new TypeError("token verifier: revocation is 'none' or 'check'");
  }
  const toleranceSeconds = options.clockToleranceSeconds ?? 5;
  const verifyOptions = {
    algorithms: ALGORITHMS,
    issuer: options.issuer,
    audience: options.audience,
    typ: ACCESS_TOKEN_TYPE,
    clockTolerance: toleranceSeconds,
    requiredClaims: REQUIRED_CLAIMS,
  };

  const verified = new ExpiringCache<VerifiedAccessToken>(options.verifiedTokenCacheSize ?? 10_000);
  const factorRequired: ReadonlySet<string> = new Set(options.mfaRequiredForRoles ?? ['ADMIN']);

  return {
    async verify(token) {
      if (typeof token !== 'string' || token === '') throw new TokenRejectedError('missing');
      if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('invalid', { cause: new Error('longer than any access token') });
      const key = hash('sha256', token, 'base64url');
      let claims = verified.get(key);
      if (claims === undefined) {
        let payload: JWTPayload;
        try {
          ({ payload } = await jwtVerify(token, keys, verifyOptions));
        } catch (error) {
          throw new TokenRejectedError(rejectionOf(error), { cause: error });
        }
        claims = toVerified(payload);
        // jose checks iat only against a maximum age; a token "issued" in the future would outlive its intended lifetime.
        if (claims.issuedAt.getTime() > Date.now() + toleranceSeconds * 1000) throw new TokenRejectedError('invalid', { cause: new Error('iat in the future') });
        // Kept exactly as long as jose would still accept its exp; nbf and iat passed already and time only moves on.
        verified.set(key, claims, claims.expiresAt.getTime() + toleranceSeconds * 1000 - Date.now());
      }
      // The service's role policy, from the token alone (as its own authorization does): before any revocation call.
      if (factorRequired.has(claims.role) && !claims.amr.some((method) => SECOND_FACTOR_METHODS.has(method))) throw new TokenRejectedError('mfa_enrolment_required');
      await revocation?.check(token, claims.tokenId, claims.expiresAt);
      return { ...claims, issuedAt: new Date(claims.issuedAt), expiresAt: new Date(claims.expiresAt) };
    },
    get breakerState() {
      return revocation?.breaker.state ?? 'closed';
    },
  };
}

/** A failure that speaks about the token refuses it; one about fetching the keys says only that it cannot be checked now. */
function rejectionOf(error: unknown): 'invalid' | 'expired' | 'unverifiable' {
  if (error instanceof errors.JWTExpired) return 'expired';
  const tokenProblems = [errors.JWSInvalid, errors.JWTInvalid, errors.JWSSignatureVerificationFailed, errors.JWTClaimValidationFailed, errors.JOSEAlgNotAllowed, errors.JOSENotSupported, errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys];
  return tokenProblems.some((kind) => error instanceof kind) ? 'invalid' : 'unverifiable';
}

function toVerified(payload: JWTPayload): VerifiedAccessToken {
  const { sub, sid, role, jti, iat, exp, amr, auth_time: authTime } = payload;
  if (typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number' || !isRole(role)) {
    throw new TokenRejectedError('invalid', { cause: new Error('claims of the wrong type') });
  }
  const methods = amr === undefined ? ['pwd'] : amr;
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string') || (authTime !== undefined && typeof authTime !== 'number')) {
    throw new TokenRejectedError('invalid', { cause: new Error('claims of the wrong type') });
  }
  return {
    subject: sub,
    sessionId: sid,
    role,
    tokenId: jti,
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date(exp * 1000),
    amr: methods as string[],
    authTime: new Date((authTime ?? iat) * 1000),
  };
}

function isRole(value: unknown): value is AccessTokenRole {
  return typeof value === 'string' && (ACCESS_TOKEN_ROLES as readonly string[]).includes(value);
}

function isClient(jwks: TokenVerifierOptions['jwks']): jwks is AuthClient {
  return typeof (jwks as Partial<AuthClient>).getJwks === 'function';
}
