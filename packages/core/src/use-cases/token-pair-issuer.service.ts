import type { Role } from '../domain/account.model.js';
import type { Assurance } from '../domain/second-factor.model.js';
import type { SessionDevice } from '../ports/session-store.port.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';
import type { TokenPair } from '../service/auth-service.types.js';
import type { RefreshTokenFormat } from './refresh-token-format.codec.js';

/** The part of a session a token pair is derived from. */
export interface SessionRef {
  sessionId: string;
  accountId: string;
  expiresAt: Date;
}

/** Starts sessions and issues the token pairs of a session. Shared by Login, RefreshToken and ChangePassword. */
export class TokenPairIssuer {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'sessions' | 'tokenSigner' | 'ids' | 'secondFactors'>,
    private readonly refreshTokens: RefreshTokenFormat,
    private readonly settings: Pick<AuthServiceOptions, 'accessTokenTtlMs' | 'sessionTtlMs'>,
  ) {}

  /**
   * A new session (refresh counter 0) for the account, started from `device`, and its first token pair. `assurance`
   * (how the account signed in) is recorded for the session's later tokens when it is more than a password at `now`.
   */
  async startSession(
    account: { id: string; role: Role },
    now: Date,
    device: Partial<SessionDevice> = {},
    assurance?: Assurance,
  ): Promise<{ sessionId: string; tokens: TokenPair }> {
    const session: SessionRef = {
      sessionId: this.deps.ids.sessionId(),
      accountId: account.id,
      expiresAt: new Date(now.getTime() + this.settings.sessionTtlMs),
    };
    // Said at the start, so that every refresh of a password session can skip reading an assurance there is none of.
    await this.deps.sessions.create({ ...session, createdAt: now, ...device, assuranceRecorded: assurance !== undefined });
    if (assurance !== undefined) await this.deps.secondFactors.putSessionAssurance(session.sessionId, assurance, session.expiresAt);
    return { sessionId: session.sessionId, tokens: await this.issue(session, 0, account.role, now, assurance ?? { amr: ['pwd'], authTime: now }) };
  }

  /** The pair for refresh token number `counter` of the session; the access token never outlives the session. */
  async issue(session: SessionRef, counter: number, role: Role, now: Date, assurance: Assurance): Promise<TokenPair> {
    const accessExpiry = Math.min(now.getTime() + this.settings.accessTokenTtlMs, session.expiresAt.getTime());
    const access = await this.deps.tokenSigner.sign({
      accountId: session.accountId,
      sessionId: session.sessionId,
      role,
      issuedAt: now,
      expiresAt: new Date(accessExpiry),
      amr: assurance.amr,
      authTime: assurance.authTime,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: this.refreshTokens.encode(session.sessionId, counter),
      refreshTokenExpiresAt: session.expiresAt,
      tokenType: 'Bearer',
    };
  }
}
