import { alreadyTaken, dependencyUnavailable, errorTranslator, isDomainError } from '@authsvc/core';
import { UNIQUE_INDEXES } from '../schema/database-schema.types.js';

/** The SQLSTATE (or Node socket code) of a driver error, if it has one. pg and PGlite both set `code`. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The severity of an error the server sent (ERROR, FATAL, PANIC), if it is one. */
function severityOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const severity = (error as { severity?: unknown }).severity;
  return typeof severity === 'string' ? severity : undefined;
}

/**
 * SQLSTATEs that mean the server could not serve a statement now, whatever the statement: the session was lost
 * (class 08, 57P01-57P05: terminated backend, shutdown, database dropped...), the server is out of resources (class
 * 53), too slow (57014, statement timeout), a standby after a failover that takes no writes (25006), or failing its
 * disk (58030).
 */
const CANNOT_SERVE_NOW = (code: string): boolean =>
  code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || code === '57014' || code === '25006' || code === '58030';

// Five characters, at least one a digit (EPIPE is a socket code, not a SQLSTATE).
const SQLSTATE = /^(?=.*\d)[0-9A-Z]{5}$/;

/**
 * node-postgres reports a connection that died under a statement with the socket's system error or with one of these
 * messages of its own (no SQLSTATE: nothing came from the server).
 */
const LOST_CONNECTION_MESSAGES = ['Connection terminated', 'not queryable', 'Query read timeout', 'timeout expired'];

/**
 * True for a failure of a statement that means the database could not serve it, as opposed to a bad statement: the
 * server ended the session (severity FATAL or PANIC, whatever the SQLSTATE), the SQLSTATE says it cannot serve now
 * (CANNOT_SERVE_NOW), or the connection died under the statement. A failure to get a connection at all is an outage
 * in every case: see `connectionFailure`.
 */
export function isUnavailable(error: unknown): boolean {
  const severity = severityOf(error);
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  const code = errorCode(error);
  if (code !== undefined && SQLSTATE.test(code)) return CANNOT_SERVE_NOW(code);
  if (severity !== undefined) return false;
  if (typeof error === 'object' && error !== null && typeof (error as { syscall?: unknown }).syscall === 'string') return true;
  if (code !== undefined && /^E[A-Z]+$/.test(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return LOST_CONNECTION_MESSAGES.some((fragment) => message.includes(fragment));
}

/** Serialization failure or deadlock: the transaction may succeed if run again. */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code === '40001' || code === '40P01';
}

const UNIQUE_VIOLATION = '23505';

const TAKEN_BY_INDEX = new Map<string, Parameters<typeof alreadyTaken>[0]>([
  [UNIQUE_INDEXES.username, 'username'],
  [UNIQUE_INDEXES.email, 'email'],
  [UNIQUE_INDEXES.author, 'author'],
]);

/**
 * The failure of a statement: a unique violation on a normalized-name index becomes *_TAKEN, an outage (see
 * `isUnavailable`) DEPENDENCY_UNAVAILABLE. Anything else (a bug, a retryable conflict, a unique violation elsewhere)
 * is returned unchanged.
 */
export const translatePostgresError = errorTranslator((error) => {
  if (errorCode(error) === UNIQUE_VIOLATION) {
    const constraint = (error as { constraint?: unknown }).constraint;
    const field = typeof constraint === 'string' ? TAKEN_BY_INDEX.get(constraint) : undefined;
    return field === undefined ? undefined : alreadyTaken(field, error);
  }
  return isUnavailable(error) ? dependencyUnavailable('postgres', error) : undefined;
});

/** A failure to obtain a connection (refused, timed out, rejected at start-up whatever the reason): always an outage. */
export const connectionFailure = (error: unknown): unknown => (isDomainError(error) ? error : dependencyUnavailable('postgres', error));
