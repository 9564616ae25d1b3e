import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { requireAccount } from './account-lookup.service.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface RevokeSessionsInput {
  id: string;
  /** Keep the session the caller is using ("sign out everywhere else"); has an effect only on the caller's own account. */
  keepOwn?: boolean;
}
export interface RevokeSessionsOutput {
  revoked: number;
}

/**
 * Signs an account out everywhere, for the account itself or an admin: the caller's own session included, unless
 * `keepOwn` asks to keep it (an admin revoking another account has no session there to keep). The
 * sessions are found under the id of the token or the id the store returned, never the id as given ("ABC..." finds
 * the account "abc..." in a store, but no session is kept under it).
 */
export class RevokeSessions {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'sessions' | 'clock'>,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: RevokeSessionsInput, client: EventClient = {}): Promise<RevokeSessionsOutput> {
    const principal = authorizeCaller('RevokeSessions', caller, input.id);
    // Only an admin can name another account, and only an admin may learn that an id is unknown.
    const accountId = principal.accountId === input.id ? principal.accountId : requireAccount(await this.deps.accounts.findById(input.id)).id;
    const keep = input.keepOwn === true && accountId === principal.accountId ? principal.sessionId : undefined;
    const revoked = await this.deps.sessions.revokeAllForAccount(accountId, this.deps.clock.now(), keep);
    if (revoked > 0) {
      const reason = accountId === principal.accountId ? 'user' : 'admin';
      this.securityEvents.record([{ type: 'auth.session.revoked', accountId, reason, sessionCount: revoked }], client);
    }
    return { revoked };
  }
}
