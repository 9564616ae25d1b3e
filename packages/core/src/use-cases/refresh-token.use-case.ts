import { DomainError } from '../errors/domain.errors.js';
import { isBarred } from '../domain/account.model.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';
import type { RefreshResult } from '../service/auth-service.types.js';
import type { RefreshTokenFormat } from './refresh-token-format.codec.js';
import type { TokenPairIssuer } from './token-pair-issuer.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface RefreshTokenInput {
  refreshToken: string;
}
export type RefreshTokenOutput = RefreshResult;

export const invalidRefreshToken = (): DomainError => new DomainError('REFRESH_TOKEN_INVALID');

/**
 * Rotates a refresh token: the token presented is consumed and a new pair returned. No access token is needed
 * (an expired one is the usual reason to refresh). Presenting a consumed token again revokes the whole session,
 * except for the immediate predecessor within the grace window, which gets the same successor back.
 *
 * The account is read before the rotation, not after: the rotation is the last step that can fail, so a call that
 * fails (the database down, say) has consumed nothing and its retry with the same token works however late it
 * comes. Read after, a rotation whose account read failed would turn a retry past the grace window into a reuse
 * and revoke the session of a client that did nothing wrong.
 */
export class RefreshToken {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'sessions' | 'clock' | 'secondFactors'>,
    private readonly refreshTokens: RefreshTokenFormat,
    private readonly tokens: TokenPairIssuer,
    private readonly settings: Pick<AuthServiceOptions, 'refreshGraceMs'>,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(input: RefreshTokenInput, client: EventClient = {}): Promise<RefreshTokenOutput> {
    const decoded = typeof input.refreshToken === 'string' ? this.refreshTokens.decode(input.refreshToken) : null;
    if (decoded === null) throw invalidRefreshToken();
    const now = this.deps.clock.now();
    const accountId = await this.deps.sessions.accountOf(decoded.sessionId, now);
    if (accountId === null) throw invalidRefreshToken();
    // The role comes from the account now, not from the session's start: a role change shows on the next refresh.
    const account = await this.deps.accounts.findById(accountId);
    // A disabled or deleted account's sessions were revoked then; one that slipped past a racing login ends here.
    if (account === null || isBarred(account, now)) {
      await this.deps.sessions.revoke(decoded.sessionId, now);
      throw invalidRefreshToken();
    }
    const result = await this.deps.sessions.redeem(decoded.sessionId, decoded.counter, now, this.settings.refreshGraceMs);
    if (result.outcome === 'invalid') throw invalidRefreshToken();
    if (result.outcome === 'reused') {
      const ids = { accountId: result.accountId, sessionId: decoded.sessionId };
      this.securityEvents.record(
        [
          { type: 'auth.refresh_token.reused', ...ids, reason: 'session_revoked' },
          { type: 'auth.session.revoked', ...ids, reason: 'reuse' },
        ],
        client,
      );
      throw new DomainError('REFRESH_TOKEN_REUSED');
    }
    // A session with nothing recorded was a password sign-in when it started. One whose start said so has nothing to
    // read: a round trip to the second-factor store saved on most refreshes. One that did not say is read.
    const recorded = result.assuranceRecorded === false ? null : await this.deps.secondFactors.sessionAssurance(result.session.sessionId, now);
    const assurance = recorded ?? { amr: ['pwd' as const], authTime: result.session.createdAt };
    return { ...(await this.tokens.issue(result.session, result.counter, account.role, now, assurance)), accountId: account.id };
  }
}
