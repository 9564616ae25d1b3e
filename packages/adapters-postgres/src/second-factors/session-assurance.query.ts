import { createQueryId, type CompiledQuery } from 'kysely';
import { compileOnly } from '../connection/compile-only.util.js';
import { keepPrepared } from '../connection/prepared-statements.util.js';

/** The assurance of a session still in force: what RefreshToken reads on every call. */
const SESSION_ASSURANCE = keepPrepared(
  compileOnly
    .selectFrom('session_assurance')
    .select(['amr', 'auth_time'])
    .where('session_id', '=', '')
    .where('expires_at', '>', new Date(0))
    .compile(),
  'authsvc_session_assurance',
);

export type SessionAssuranceRow = typeof SESSION_ASSURANCE extends CompiledQuery<infer R> ? R : never;

/**
 * The query of `sessionAssurance`, compiled once and kept prepared like the account read beside it on every
 * RefreshToken: the query builder cost ~20 µs of the event loop per call, and PostgreSQL parsed and planned it anew.
 */
export function sessionAssuranceQuery(sessionId: string, now: Date): CompiledQuery<SessionAssuranceRow> {
  return { ...SESSION_ASSURANCE, parameters: [sessionId, now], queryId: createQueryId() };
}
