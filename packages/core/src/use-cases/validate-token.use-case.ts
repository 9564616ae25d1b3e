import { DomainError } from '../errors/domain.errors.js';
import type { AccessTokenClaims } from '../ports/access-tokens.port.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';

export interface ValidateTokenInput {
  accessToken: string;
}
export type ValidateTokenOutput = AccessTokenClaims;

/**
 * The access-token check behind ValidateToken and every authenticated RPC: signature, algorithm, issuer,
 * audience, type and expiry (the verifier), then the session's revocation (the store), so a logout, a password
 * or role change, or a detected reuse takes effect before the token expires.
 */
export class ValidateToken {
  constructor(private readonly deps: Pick<AuthServiceDependencies, 'tokenVerifier' | 'sessions' | 'clock'>) {}

  async execute(input: ValidateTokenInput): Promise<ValidateTokenOutput> {
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
