import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { profileToEventJson } from '../domain/account-event.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { requireAccount } from './account-lookup.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';

export interface ExportAccountDataInput {
  id: string;
}

/** Everything the service holds about one account, as one JSON-ready document (snake_case keys, ISO-8601 times). */
export interface AccountDataExport {
  /** The document's format and version, for whoever reads it later. */
  format: 'authsvc.account-export/1';
  exported_at: string;
  /** The profile as events carry it, plus the state an admin set. Never the password hash (it is no data about the person, and a secret). */
  account: Record<string, unknown>;
  /** The live sessions (one per device signed in): when each started, was last refreshed and ends. */
  sessions: { session_id: string; created_at: string; last_used_at: string; expires_at: string }[];
}

/**
 * The account's data for the account itself or an admin (GDPR access): the profile with its disable state, and the
 * sessions as the session store knows them. Counted before any read, per account whoever asks (RATE_LIMITED past
 * the limit): the export reads every store. A failed read gives the count back.
 */
export class ExportAccountData {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'sessions' | 'clock'>,
    private readonly attempts: AttemptLimiter,
  ) {}

  async execute(caller: Caller, input: ExportAccountDataInput, signal?: AbortSignal): Promise<AccountDataExport> {
    authorizeCaller('ExportAccountData', caller, input.id);
    const now = this.deps.clock.now();
    const account = requireAccount(await this.deps.accounts.findById(input.id));
    const reservation = await this.attempts.dataExport(account.id, now);
    return reservation.during(async () => {
      throwIfAborted(signal);
      const sessions = await this.deps.sessions.listForAccount(account.id, now);
      const { disabled } = account;
      return {
        format: 'authsvc.account-export/1',
        exported_at: now.toISOString(),
        account: {
          ...profileToEventJson(toPublicProfile(account)),
          disabled: disabled === null ? null : { reason: disabled.reason, since: disabled.since.toISOString(), until: disabled.until?.toISOString() ?? null },
        },
        sessions: sessions.map((s) => ({
          session_id: s.sessionId,
          created_at: s.createdAt.toISOString(),
          last_used_at: s.lastUsedAt.toISOString(),
          expires_at: s.expiresAt.toISOString(),
        })),
      };
    });
  }
}
