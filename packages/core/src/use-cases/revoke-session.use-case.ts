import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { DomainError } from '../errors/domain.errors.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import type { EventClient, SecurityEventRecorder } from './security-event-recorder.service.js';

export interface RevokeSessionInput {
  /** The session to end (as ListSessions gives it). */
  sessionId: string;
}
export interface RevokeSessionOutput {
  /** The account the session belonged to. */
  accountId: string;
}

/** Longest session id the service ever issues is 22 characters (128 bits, base64url); anything much longer is not one. */
const SESSION_ID_MAX = 64;

export const sessionNotFound = (): DomainError => new DomainError('SESSION_NOT_FOUND');

/**
 * Ends one session (a lost phone), for its owner or an admin; the caller's own session may be named too. A session
 * that is unknown, already ended, or another account's (for a caller who is not an admin) gives the same
 * SESSION_NOT_FOUND, so a caller learns nothing about sessions that are not theirs.
 */
export class RevokeSession {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'sessions' | 'clock'>,
    private readonly securityEvents: SecurityEventRecorder,
  ) {}

  async execute(caller: Caller, input: RevokeSessionInput, client: EventClient = {}): Promise<RevokeSessionOutput> {
    const principal = authorizeCaller('RevokeSession', caller);
    const violations = new FieldViolations();
    const id: unknown = input.sessionId;
    if (typeof id !== 'string' || id === '') violations.add('session_id', 'is required');
    else if (id.length > SESSION_ID_MAX || !/^[A-Za-z0-9_-]+$/.test(id)) violations.add('session_id', 'is not a session id');
    violations.throwIfAny();

    const now = this.deps.clock.now();
    const owner = await this.deps.sessions.accountOf(input.sessionId, now);
    if (owner === null || (owner !== principal.accountId && principal.role !== 'ADMIN')) throw sessionNotFound();
    // Ended meanwhile by someone else (a logout racing this call): the same answer as an unknown session.
    if ((await this.deps.sessions.revoke(input.sessionId, now)) === null) throw sessionNotFound();
    const reason = owner === principal.accountId ? 'user' : 'admin';
    this.securityEvents.record([{ type: 'auth.session.revoked', accountId: owner, sessionId: input.sessionId, reason }], client);
    return { accountId: owner };
  }
}
