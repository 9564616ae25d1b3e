import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { ROLES, type Role } from '../domain/account.model.js';
import { DomainError } from '../errors/domain.errors.js';
import type { AuthMethod } from '../domain/second-factor.model.js';
import type { AccessTokenClaims, AccessTokenInput, AccessTokenSigner, AccessTokenVerifier, IssuedAccessToken, JsonWebKeySet, PublicKeySet } from '../ports/access-tokens.port.js';
import { canSign, type SigningAlgorithm, type SigningKeyMaterial } from './signing-key.model.js';
import { parseSigningKeySet } from './signing-key-set.codec.js';
import { encodeJwsPart, jwsSignatureFor, type JwsSignature } from './jws-compact.codec.js';
import { VerifiedTokenCache, type VerifiedToken } from './verified-token-cache.util.js';

/** The JWT `typ` of access tokens (RFC 9068), so that no other JWT of ours passes as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * Seconds of clock skew tolerated on `exp` and `nbf`: enough for servers a little out of step,
 * too little to matter for a token living minutes.
 */
export const ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS = 5;

const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'sid', 'role', 'iat', 'exp', 'jti'];

/** Longer than any token of ours: refused before any work. */
const MAX_TOKEN_LENGTH = 16_384;

/**
 * Default number of verified tokens remembered (~0.4 KB each, so ~4 MB): one per client active within a token's
 * lifetime, for an instance serving up to ten thousand clients without re-verifying.
 */
export const DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;

export interface JoseAccessTokensOptions {
  issuer: string;
  audience: string;
  /** The signing key set; at least one key must be able to sign. */
  keys: SigningKeyMaterial[];
  /** Verified tokens remembered so a repeated token skips the signature check (0: none). Default DEFAULT_VERIFIED_TOKEN_CACHE_SIZE. */
  verifiedTokenCacheSize?: number;
}

interface LoadedKey {
  kid: string;
  alg: SigningAlgorithm;
  verifyKey: CryptoKey | Uint8Array;
  /** For a key that may sign: its protected header, already encoded, and its signature function. */
  signing: { header: string; signature: JwsSignature } | undefined;
  publicJwk: JWK | undefined;
}

/**
 * Access tokens as JWTs. Signs with the newest key that may sign (node:crypto, see jws-compact.codec.ts);
 * verifies with jose, with whichever key the header's `kid` names, pinning that key's algorithm (so an HS256
 * token "signed" with a public key is refused), the issuer, the audience, the type and the lifetime.
 *
 * A client sends the same access token with each call until it expires, and the signature check is the main
 * thread's largest cost of an authenticated call (Ed25519 through WebCrypto: ~145 µs of CPU, see
 * docs/PERFORMANCE.md), so a token that verified is remembered (VerifiedTokenCache): the next time the same
 * text comes, only its lifetime is checked against the clock. The keys of an instance never change while it runs
 * (a rotation is a restart), so nothing else that the first check depended on can have changed.
 */
export class JoseAccessTokens implements AccessTokenSigner, AccessTokenVerifier, PublicKeySet {
  private constructor(
    private readonly issuer: string,
    private readonly audience: string,
    private readonly byKid: ReadonlyMap<string, LoadedKey>,
    private readonly signer: LoadedKey,
    private readonly verified: VerifiedTokenCache,
  ) {}

  /** Validates and imports the keys; throws a plain Error (a configuration mistake) if they are unusable. */
  static async create(options: JoseAccessTokensOptions): Promise<JoseAccessTokens> {
    if (!options.issuer || !options.audience) throw new Error('access tokens: issuer and audience are required');
    const keys = parseSigningKeySet({ keys: options.keys });
    const byKid = new Map<string, LoadedKey>();
    for (const key of keys) byKid.set(key.kid, await load(key));
    const newest = keys.filter(canSign).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
    if (!newest) throw new Error('access tokens: the signing key set has no key able to sign');
    const verified = new VerifiedTokenCache(options.verifiedTokenCacheSize ?? DEFAULT_VERIFIED_TOKEN_CACHE_SIZE);
    return new JoseAccessTokens(options.issuer, options.audience, byKid, byKid.get(newest.kid)!, verified);
  }

  /** The kid of the key that signs new tokens. */
  get signingKid(): string {
    return this.signer.kid;
  }

  async sign(input: AccessTokenInput): Promise<IssuedAccessToken> {
    const iat = Math.floor(input.issuedAt.getTime() / 1000);
    const exp = Math.floor(input.expiresAt.getTime() / 1000);
    const authTime = Math.floor((input.authTime ?? input.issuedAt).getTime() / 1000);
    if (!Number.isFinite(iat) || !Number.isFinite(exp) || !Number.isFinite(authTime)) throw new RangeError('access token: issuedAt, expiresAt and authTime must be valid dates');
    const amr = input.amr === undefined || input.amr.length === 0 ? ['pwd'] : [...input.amr];
    const { header, signature } = this.signer.signing!;
    const claims = { sid: input.sessionId, role: input.role, amr, auth_time: authTime, iss: this.issuer, aud: this.audience, sub: input.accountId, iat, exp, jti: randomBytes(16).toString('base64url') };
    const signingInput = `${header}.${encodeJwsPart(claims)}`;
    return { token: `${signingInput}.${signature(signingInput)}`, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string, now: Date): Promise<AccessTokenClaims> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw invalid(new Error('not a token'));
    const cacheKey = VerifiedTokenCache.keyOf(token);
    const known = this.verified.get(cacheKey);
    if (known !== undefined) {
      // Signature, key, issuer, audience and type were checked when this very text first came; only time has moved.
      const problem = lifetimeProblem(known, now);
      if (problem === undefined) return toClaims(known);
      this.verified.delete(cacheKey);
      throw invalid(new Error(problem));
    }
    const verified = await this.verifySignatureAndClaims(token, now);
    const problem = lifetimeProblem(verified, now);
    if (problem !== undefined) throw invalid(new Error(problem));
    this.verified.set(cacheKey, verified);
    return toClaims(verified);
  }

  private async verifySignatureAndClaims(token: string, now: Date): Promise<VerifiedToken> {
    let payload: JWTPayload;
    try {
      const { kid } = decodeProtectedHeader(token);
      const key = kid === undefined ? undefined : this.byKid.get(kid);
      if (!key) throw new Error('unknown kid');
      ({ payload } = await jwtVerify(token, key.verifyKey, {
        algorithms: [key.alg],
        issuer: this.issuer,
        audience: this.audience,
        typ: ACCESS_TOKEN_TYPE,
        currentDate: now,
        clockTolerance: ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: REQUIRED_CLAIMS,
      }));
    } catch (error) {
      throw invalid(error);
    }
    const { sub, sid, role, jti, iat, exp, nbf, amr, auth_time: authTime } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number' || !isRole(role)) {
      throw invalid(new Error('claims of the wrong type'));
    }
    // Tokens signed before amr and auth_time existed were password sign-ins at their issue time.
    if ((amr !== undefined && !isMethodList(amr)) || (authTime !== undefined && typeof authTime !== 'number')) throw invalid(new Error('claims of the wrong type'));
    return { accountId: sub, sessionId: sid, role, tokenId: jti, iat, exp, nbf: typeof nbf === 'number' ? nbf : undefined, amr: amr ?? ['pwd'], authTime: authTime ?? iat };
  }

  async jwks(): Promise<JsonWebKeySet> {
    const keys: Record<string, unknown>[] = [];
    for (const key of this.byKid.values()) {
      if (!key.publicJwk) continue;
      const { kty, crv, x, y, n, e } = key.publicJwk;
      keys.push(withoutUndefined({ kty, crv, x, y, n, e, kid: key.kid, alg: key.alg, use: 'sig' }));
    }
    return { keys };
  }
}

async function load(key: SigningKeyMaterial): Promise<LoadedKey> {
  const signing = canSign(key) ? { header: encodeJwsPart({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE }), signature: jwsSignatureFor(key) } : undefined;
  if (key.alg === 'HS256') {
    return { kid: key.kid, alg: key.alg, verifyKey: new Uint8Array(Buffer.from(key.secret!, 'base64url')), signing, publicJwk: undefined };
  }
  return { kid: key.kid, alg: key.alg, verifyKey: await importJWK(key.publicJwk!, key.alg), signing, publicJwk: key.publicJwk };
}

/**
 * Why the token is not valid at `now`, if it is not: the time-dependent checks, made on every call, cached or not.
 * exp and nbf as jose checks them (whole seconds, with the tolerance); iat too, which jose checks only when
 * maxTokenAge is given: a token "issued" in the future beyond the tolerated skew would otherwise outlive the
 * lifetime its issuer meant.
 */
function lifetimeProblem(token: VerifiedToken, now: Date): string | undefined {
  const nowS = Math.floor(now.getTime() / 1000);
  if (token.exp <= nowS - ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS) return 'expired';
  if (token.nbf !== undefined && token.nbf > nowS + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS) return 'nbf in the future';
  if (token.iat > nowS + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS) return 'iat in the future';
  return undefined;
}

function toClaims(token: VerifiedToken): AccessTokenClaims {
  return {
    accountId: token.accountId,
    sessionId: token.sessionId,
    role: token.role,
    tokenId: token.tokenId,
    issuedAt: new Date(token.iat * 1000),
    expiresAt: new Date(token.exp * 1000),
    amr: [...token.amr] as AuthMethod[],
    authTime: new Date(token.authTime * 1000),
  };
}

const AUTH_METHODS: readonly string[] = ['pwd', 'otp', 'hwk', 'swk', 'mfa'];

function isMethodList(value: unknown): value is AuthMethod[] {
  return Array.isArray(value) && value.length > 0 && value.every((m) => typeof m === 'string' && AUTH_METHODS.includes(m));
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** One generic error for every reason: the reason stays in `cause` for logs, never in the message. */
function invalid(cause: unknown): DomainError {
  return new DomainError('ACCESS_TOKEN_INVALID', { cause });
}
