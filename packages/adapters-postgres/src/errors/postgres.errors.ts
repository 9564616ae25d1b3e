import { alreadyTaken, dependencyUnavailable, errorTranslator, translatingErrors } from '@authsvc/core';
import { UNIQUE_INDEXES } from '../schema/database-schema.types.js';

/** The SQLSTATE (or Node socket code) of a driver error, if it has one. pg and PGlite both set `code`. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN']);
// 57P01-57P03: admin/crash shutdown, cannot connect now; 57014: statement timeout; 53300: too many connections.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '53300']);
// node-postgres reports pool and connection timeouts and lost connections only through the message.
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error',
  'connection timeout',
];
const UNIQUE_VIOLATION = '23505';

/** True for failures that mean the database is down, unreachable or too slow (as opposed to a bad query). */
export function isUnavailable(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((fragment) => message.includes(fragment));
}

/** Serialization failure or deadlock: the transaction may succeed if run again. */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code === '40001' || code === '40P01';
}

const TAKEN_BY_INDEX = new Map<string, Parameters<typeof alreadyTaken>[0]>([
  [UNIQUE_INDEXES.username, 'username'],
  [UNIQUE_INDEXES.email, 'email'],
  [UNIQUE_INDEXES.author, 'author'],
]);

/**
 * A unique violation on a normalized-name index becomes *_TAKEN, an outage DEPENDENCY_UNAVAILABLE. Anything else
 * (a bug, a retryable conflict, a unique violation elsewhere) is returned unchanged.
 */
export const translatePostgresError = errorTranslator((error) => {
  if (errorCode(error) === UNIQUE_VIOLATION) {
    const constraint = (error as { constraint?: unknown }).constraint;
    const field = typeof constraint === 'string' ? TAKEN_BY_INDEX.get(constraint) : undefined;
    return field === undefined ? undefined : alreadyTaken(field, error);
  }
  return isUnavailable(error) ? dependencyUnavailable('postgres', error) : undefined;
});

/** Runs one database operation, rethrowing its failure translated. */
export const postgresCall = <T>(operation: () => Promise<T>): Promise<T> => translatingErrors(translatePostgresError, operation);
