import { collectDefaultMetrics, Counter, type Registry } from 'prom-client';
import { LOGIN_FAILURE_REASONS as FAILURE_REASON_LIST, REVOCATION_CAUSES as CAUSE_LIST, SECURITY_EVENT_TYPES, type SecurityEvent } from '@authsvc/core';

// The label values come from core's closed lists: a new cause is counted under its name, not as `other`.
const LOGIN_FAILURE_REASONS: ReadonlySet<string> = new Set(FAILURE_REASON_LIST);
const REVOCATION_CAUSES: ReadonlySet<string> = new Set(CAUSE_LIST);
const LIMITS = new Set(['login-from', 'failed-logins-from', 'login']);

/** A label value from a closed set, else `other`: labels stay bounded whatever an event carries. */
const bounded = (value: string | null, allowed: ReadonlySet<string>): string => (value !== null && allowed.has(value) ? value : 'other');

/**
 * Counters of the security events (labels from closed sets only: never an account id, an address or a name), and
 * prom-client's default process and Node.js metrics (CPU, resident memory, heap, GC). Returns the observer to hand
 * to the service (`securityEventObserver`).
 */
export function registerSecurityMetrics(registry: Registry): (event: SecurityEvent) => void {
  collectDefaultMetrics({ register: registry });
  const events = new Counter({ name: 'authsvc_security_events_total', help: 'Security events recorded, by type.', labelNames: ['type'], registers: [registry] });
  const logins = new Counter({ name: 'authsvc_logins_total', help: 'Logins by outcome (succeeded, failed) and failure reason.', labelNames: ['outcome', 'reason'], registers: [registry] });
  const reuse = new Counter({ name: 'authsvc_refresh_token_reuse_total', help: 'Refresh tokens presented again after rotation (the session was revoked).', registers: [registry] });
  const revoked = new Counter({ name: 'authsvc_sessions_revoked_total', help: 'Sessions ended, by cause (a revocation of every session counts each session).', labelNames: ['cause'], registers: [registry] });
  const trips = new Counter({ name: 'authsvc_throttle_trips_total', help: 'Login limits filled (the next attempt is refused), by limit.', labelNames: ['limit'], registers: [registry] });
  for (const type of SECURITY_EVENT_TYPES) events.inc({ type }, 0);
  return (event) => {
    events.inc({ type: event.type });
    if (event.type === 'auth.login.succeeded') logins.inc({ outcome: 'succeeded', reason: 'none' });
    else if (event.type === 'auth.login.failed') logins.inc({ outcome: 'failed', reason: bounded(event.reason, LOGIN_FAILURE_REASONS) });
    else if (event.type === 'auth.refresh_token.reused') reuse.inc();
    else if (event.type === 'auth.session.revoked') revoked.inc({ cause: bounded(event.reason, REVOCATION_CAUSES) }, event.sessionCount ?? 1);
    else if (event.type === 'auth.throttle.tripped') for (const limit of (event.reason ?? '').split(',')) trips.inc({ limit: bounded(limit, LIMITS) });
  };
}
