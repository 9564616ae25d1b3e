import { randomBytes } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { ROLES, type Role } from '../domain/account.js';
import { DomainError } from '../errors/domain-error.js';
import type { AccessTokenClaims, AccessTokenSigner, AccessTokenVerifier, IssuedAccessToken, JsonWebKeySet, PublicKeySet } from '../ports/access-tokens.port.js';
import { canSign, type SigningAlgorithm, type SigningKeyMaterial } from './signing-key.js';
import { parseSigningKeySet } from './signing-key-set.parser.js';

/** The JWT `typ` of access tokens (RFC 9068), so that no other JWT of ours passes as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * Seconds of clock skew tolerated on `exp` and `nbf`: enough for servers a little out of step,
 * too little to matter for a token living minutes.
 */
export const ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS = 5;

const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'sid', 'role', 'iat', 'exp', 'jti'];

export interface JoseAccessTokensOptions {
  issuer: string;
  audience: string;
  /** The signing key set; at least one key must be able to sign. */
  keys: SigningKeyMaterial[];
}

interface LoadedKey {
  kid: string;
  alg: SigningAlgorithm;
  verifyKey: CryptoKey | Uint8Array;
  signKey: CryptoKey | Uint8Array | undefined;
  publicJwk: JWK | undefined;
}

/**
 * Access tokens as JWTs signed with jose. Signs with the newest key that may sign; verifies with
 * whichever key the header's `kid` names, pinning that key's algorithm (so an HS256 token "signed"
 * with a public key is refused), the issuer, the audience, the type and the lifetime.
 */
export class JoseAccessTokens implements AccessTokenSigner, AccessTokenVerifier, PublicKeySet {
  private constructor(
    private readonly issuer: string,
    private readonly audience: string,
    private readonly byKid: ReadonlyMap<string, LoadedKey>,
    private readonly signer: LoadedKey,
  ) {}

  /** Validates and imports the keys; throws a plain Error (a configuration mistake) if they are unusable. */
  static async create(options: JoseAccessTokensOptions): Promise<JoseAccessTokens> {
    if (!options.issuer || !options.audience) throw new Error('access tokens: issuer and audience are required');
    const keys = parseSigningKeySet({ keys: options.keys });
    const byKid = new Map<string, LoadedKey>();
    for (const key of keys) byKid.set(key.kid, await load(key));
    const newest = keys.filter(canSign).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
    if (!newest) throw new Error('access tokens: the signing key set has no key able to sign');
    return new JoseAccessTokens(options.issuer, options.audience, byKid, byKid.get(newest.kid)!);
  }

  /** The kid of the key that signs new tokens. */
  get signingKid(): string {
    return this.signer.kid;
  }

  async sign(input: { accountId: string; sessionId: string; role: Role; issuedAt: Date; expiresAt: Date }): Promise<IssuedAccessToken> {
    const iat = Math.floor(input.issuedAt.getTime() / 1000);
    const exp = Math.floor(input.expiresAt.getTime() / 1000);
    const token = await new SignJWT({ sid: input.sessionId, role: input.role })
      .setProtectedHeader({ alg: this.signer.alg, kid: this.signer.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(input.accountId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(this.signer.signKey!);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string, now: Date): Promise<AccessTokenClaims> {
    let payload: JWTPayload;
    try {
      if (typeof token !== 'string' || token.length > 16_384) throw new Error('not a token');
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
    const { sub, sid, role, jti, iat, exp } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number' || !isRole(role)) {
      throw invalid(new Error('claims of the wrong type'));
    }
    // jose checks iat only when maxTokenAge is given: refuse a token "issued" in the future beyond the tolerated skew,
    // which would otherwise outlive the lifetime its issuer meant.
    if (iat > Math.floor(now.getTime() / 1000) + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS) throw invalid(new Error('iat in the future'));
    return { accountId: sub, sessionId: sid, role, tokenId: jti, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
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
  if (key.alg === 'HS256') {
    const secret = new Uint8Array(Buffer.from(key.secret!, 'base64url'));
    return { kid: key.kid, alg: key.alg, verifyKey: secret, signKey: canSign(key) ? secret : undefined, publicJwk: undefined };
  }
  const verifyKey = await importJWK(key.publicJwk!, key.alg);
  const signKey = canSign(key) ? await importJWK(key.privateJwk!, key.alg) : undefined;
  return { kid: key.kid, alg: key.alg, verifyKey, signKey, publicJwk: key.publicJwk };
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** One generic error for every reason: the reason stays in `cause` for logs, never in the message. */
function invalid(cause: unknown): DomainError {
  return new DomainError('ACCESS_TOKEN_INVALID', 'access token is invalid or expired', { cause });
}
