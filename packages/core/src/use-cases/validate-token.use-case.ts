import { DomainError } from '../errors/domain.errors.js';
import { mustEnrolSecondFactor } from '../domain/second-factor.model.js';
import type { AccessTokenClaims } from '../ports/access-tokens.port.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';

export interface ValidateTokenInput {
  accessToken: string;
}
export type ValidateTokenOutput = AccessTokenClaims;

/**
 * The access-token check behind ValidateToken and every authenticated RPC: signature, algorithm, issuer,
 * audience, type and expiry (the verifier), then the session's revocation (the store), so a logout, a password
 * or role change, or a detected reuse takes effect before the token expires.
 *
 * ValidateToken (`execute`) also refuses a token the role policy restricts to enrolling a second factor
 * (MFA_ENROLMENT_REQUIRED): the services behind this one must not take it for a full sign-in of its role.
 * Authenticate (`claimsOf`) lets it through, marked, so that the enrolment RPCs accept it.
 */
export class ValidateToken {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'tokenVerifier' | 'sessions' | 'clock'>,
    private readonly settings: Pick<AuthServiceOptions, 'mfaRequiredForRoles'> = { mfaRequiredForRoles: [] },
  ) {}

  async execute(input: ValidateTokenInput): Promise<ValidateTokenOutput> {
    const claims = await this.claimsOf(input);
    if (this.mustEnrol(claims)) throw new DomainError('MFA_ENROLMENT_REQUIRED');
    return claims;
  }

  /** Whether the role policy restricts the token to enrolling a second factor. */
  mustEnrol(claims: Pick<AccessTokenClaims, 'role' | 'amr'>): boolean {
    return mustEnrolSecondFactor(claims.role, claims.amr, this.settings.mfaRequiredForRoles);
  }

  /** The verified claims of an unrevoked token, whatever the role policy says of them. */
  async claimsOf(input: ValidateTokenInput): Promise<ValidateTokenOutput> {
    if (typeof input.accessToken !== 'string' || input.accessToken === '') {
      throw new DomainError('ACCESS_TOKEN_INVALID', { message: 'an access token is required' });
    }
    const now = this.deps.clock.now();
    const claims = await this.deps.tokenVerifier.verify(input.accessToken, now);
    if (await this.deps.sessions.isRevoked(claims.sessionId, now)) {
      throw new DomainError('SESSION_REVOKED');
    }
    return claims;
  }
}
