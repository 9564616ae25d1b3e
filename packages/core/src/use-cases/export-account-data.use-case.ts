import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { profileToEventJson } from '../domain/account-event.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import { securityEventToJson } from '../domain/security-event.model.js';
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
  /** Whether and when the current address was proven reachable (the same as the account's `email_verified*`). */
  email_verification: { verified: boolean; verified_at: string | null };
  /** The second factors, never their secrets: the TOTP authenticator's dates, how many recovery codes are left. */
  second_factors: { totp: { confirmed: boolean; created_at: string; confirmed_at: string | null } | null; recovery_codes_left: number };
  /** The audit trail of the account, newest first, as ListSecurityEvents gives it (no login hash), at most MAX_EXPORTED_EVENTS. */
  security_events: Record<string, unknown>[];
}

/** Security events in one export at most (the audit trail keeps 90 days by default; far fewer in practice). */
export const MAX_EXPORTED_EVENTS = 10_000;

/**
 * The account's data for the account itself or an admin (GDPR access): the profile with its disable and deletion
 * state, the sessions as the session store knows them, the verification state, the second factors (never a secret
 * nor a code) and the security events of the audit trail. Counted before any read, per account whoever asks (RATE_LIMITED past
 * the limit): the export reads every store. A failed read gives the count back.
 */
export class ExportAccountData {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'sessions' | 'clock' | 'securityEvents' | 'secondFactors'>,
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
      const [totp, recoveryCodesLeft, events] = await Promise.all([
        this.deps.secondFactors.totpOf(account.id),
        this.deps.secondFactors.recoveryCodesLeft(account.id),
        this.securityEventsOf(account.id, signal),
      ]);
      const { disabled } = account;
      return {
        format: 'authsvc.account-export/1',
        exported_at: now.toISOString(),
        account: {
          ...profileToEventJson(toPublicProfile(account)),
          disabled: disabled === null ? null : { reason: disabled.reason, since: disabled.since.toISOString(), until: disabled.until?.toISOString() ?? null },
          deleted_at: account.deletedAt?.toISOString() ?? null,
        },
        sessions: sessions.map((s) => ({
          session_id: s.sessionId,
          created_at: s.createdAt.toISOString(),
          last_used_at: s.lastUsedAt.toISOString(),
          expires_at: s.expiresAt.toISOString(),
        })),
        email_verification: { verified: account.emailVerifiedAt !== null, verified_at: account.emailVerifiedAt?.toISOString() ?? null },
        second_factors: {
          totp: totp === null ? null : { confirmed: totp.confirmedAt !== null, created_at: totp.createdAt.toISOString(), confirmed_at: totp.confirmedAt?.toISOString() ?? null },
          recovery_codes_left: recoveryCodesLeft,
        },
        security_events: events,
      };
    });
  }

  /** Every security event of the account, newest first, page by page, without the login hash (as ListSecurityEvents). */
  private async securityEventsOf(accountId: string, signal: AbortSignal | undefined): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    let after: { occurredAt: Date; id: string } | undefined;
    while (all.length < MAX_EXPORTED_EVENTS) {
      throwIfAborted(signal);
      const page = await this.deps.securityEvents.list({ accountId, limit: Math.min(500, MAX_EXPORTED_EVENTS - all.length), ...(after ? { after } : {}) });
      for (const event of page) {
        const { login_hash: _hash, ...json } = securityEventToJson(event);
        all.push(json);
      }
      if (page.length < 500) break;
      const last = page.at(-1)!;
      after = { occurredAt: last.occurredAt, id: last.id };
    }
    return all;
  }
}
