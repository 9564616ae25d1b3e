import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { profileToEventJson } from '../domain/account-event.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import { securityEventToJson, type SecurityEvent } from '../domain/security-event.model.js';
import type { SecurityEventCursor } from '../ports/security-event-store.port.js';
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
  /** The live sessions (one per device signed in): when each started, was last refreshed and ends, and from where. */
  sessions: {
    session_id: string;
    created_at: string;
    last_used_at: string;
    expires_at: string;
    client_address: string | null;
    user_agent: string | null;
    device_name: string | null;
  }[];
  /** Which second factors the account has, and how many unused recovery codes; never a secret or a code. */
  second_factors: { enrolled: string[]; recovery_codes_left: number };
  /** The account's audit trail (the retention setting bounds it), newest first, as the auth.security topic carries it. */
  security_events: Record<string, unknown>[];
  /** True when the trail had more than EXPORTED_SECURITY_EVENTS events and only the newest are included. */
  security_events_truncated: boolean;
}

/**
 * At most this many security events in one export (the newest): an account under a password-guessing attack can
 * collect many failed-login events within the retention period, and the export is one document held in memory.
 */
export const EXPORTED_SECURITY_EVENTS = 10_000;
const EVENT_PAGE = 500;

/**
 * The account's data for the account itself or an admin (GDPR access): the profile with its verification, disable
 * and deletion state, the sessions with their devices, the second factors (kinds only) and the security events of the audit trail. Counted before any read, per account whoever asks (RATE_LIMITED past
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
      const [sessions, enrolled, recoveryCodesLeft, events] = await Promise.all([
        this.deps.sessions.listForAccount(account.id, now),
        this.deps.secondFactors.enrolledFactors(account.id),
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
          // Set while a deletion awaits its erasure (an admin exporting a deleted account).
          deleted_at: account.deletedAt?.toISOString() ?? null,
        },
        sessions: sessions.map((s) => ({
          session_id: s.sessionId,
          created_at: s.createdAt.toISOString(),
          last_used_at: s.lastUsedAt.toISOString(),
          expires_at: s.expiresAt.toISOString(),
          client_address: s.clientAddress,
          user_agent: s.userAgent,
          device_name: s.deviceName,
        })),
        second_factors: { enrolled: [...enrolled], recovery_codes_left: recoveryCodesLeft },
        security_events: events.slice(0, EXPORTED_SECURITY_EVENTS).map(securityEventToJson),
        security_events_truncated: events.length > EXPORTED_SECURITY_EVENTS,
      };
    });
  }

  /** The newest EXPORTED_SECURITY_EVENTS + 1 events (one more tells whether there were more), a keyset page at a time. */
  private async securityEventsOf(accountId: string, signal?: AbortSignal): Promise<SecurityEvent[]> {
    const events: SecurityEvent[] = [];
    let after: SecurityEventCursor | undefined;
    for (;;) {
      throwIfAborted(signal);
      const limit = Math.min(EVENT_PAGE, EXPORTED_SECURITY_EVENTS + 1 - events.length);
      const page = await this.deps.securityEvents.list({ accountId, limit, ...(after ? { after } : {}) });
      events.push(...page);
      const last = page.at(-1);
      if (page.length < limit || last === undefined || events.length > EXPORTED_SECURITY_EVENTS) return events;
      after = { occurredAt: last.occurredAt, id: last.id };
    }
  }
}
