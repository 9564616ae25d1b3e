import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { RefreshTokenFormat } from './refresh-token-format.codec.js';
import { invalidRefreshToken } from './refresh-token.use-case.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface LogoutInput {
  refreshToken: string;
}

/**
 * Ends the session a refresh token belongs to. Any authentic token of the session will do (even a consumed one:
 * whoever holds one could revoke the session by reuse anyway). Logging out twice is not an error.
 */
export class Logout {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'sessions' | 'clock'>,
    private readonly refreshTokens: RefreshTokenFormat,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  /** `accountId`: the account of the session when it was still live, for the caller's audit log (null otherwise). */
  async execute(input: LogoutInput, client: EventClient = {}): Promise<{ accountId: string | null }> {
    const decoded = typeof input.refreshToken === 'string' ? this.refreshTokens.decode(input.refreshToken) : null;
    if (decoded === null) throw invalidRefreshToken();
    const accountId = await this.deps.sessions.revoke(decoded.sessionId, this.deps.clock.now());
    // Only a session that was live ended here: a second logout reports nothing.
    if (accountId !== null) this.securityEvents.record([{ type: 'auth.session.revoked', accountId, sessionId: decoded.sessionId, reason: 'logout' }], client);
    return { accountId };
  }
}
