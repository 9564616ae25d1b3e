import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { SessionDetails } from '../ports/session-store.port.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { requireAccount } from './account-lookup.service.js';

export interface ListSessionsInput {
  /** The account whose sessions are listed. */
  id: string;
}

/** A live session as listed: its record, the device it was started from, and whether the caller is using it. */
export interface ListedSession extends SessionDetails {
  /** True for the session of the caller's access token. */
  current: boolean;
}

export interface ListSessionsOutput {
  /** Every live session of the account, newest first. */
  sessions: ListedSession[];
}

/**
 * Every live session of an account (its devices), for the account itself or an admin, newest first, the caller's
 * own marked. Read from the account's session index (no scan of the store). As in RevokeSessions, only an admin can
 * name another account, and only an admin learns that an id is unknown; the sessions are found under the stored id.
 */
export class ListSessions {
  constructor(private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'sessions' | 'clock'>) {}

  async execute(caller: Caller, input: ListSessionsInput): Promise<ListSessionsOutput> {
    const principal = authorizeCaller('ListSessions', caller, input.id);
    const accountId = principal.accountId === input.id ? principal.accountId : requireAccount(await this.deps.accounts.findById(input.id)).id;
    const sessions = await this.deps.sessions.listForAccount(accountId, this.deps.clock.now());
    return { sessions: sessions.map((session) => ({ ...session, current: session.sessionId === principal.sessionId })) };
  }
}
