import { DomainError, dependencyUnavailable } from '@authsvc/core';
import { UNIQUE_INDEXES } from '../schema/database.schema.js';

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

function takenError(constraint: string | undefined, cause: unknown): DomainError | undefined {
  switch (constraint) {
    case UNIQUE_INDEXES.username:
      return new DomainError('USERNAME_TAKEN', 'username is already taken', { cause });
    case UNIQUE_INDEXES.email:
      return new DomainError('EMAIL_TAKEN', 'email is already taken', { cause });
    case UNIQUE_INDEXES.author:
      return new DomainError('AUTHOR_TAKEN', 'author is already taken', { cause });
    default:
      return undefined;
  }
}

/**
 * Turns a driver error that means something to the domain into a domain error: a unique violation (23505) on a
 * normalized-name index becomes *_TAKEN, an outage becomes DEPENDENCY_UNAVAILABLE. Anything else (a bug, a
 * retryable conflict) is returned unchanged.
 */
export function translatePostgresError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (errorCode(error) === '23505') {
    const constraint = (error as { constraint?: unknown }).constraint;
    return takenError(typeof constraint === 'string' ? constraint : undefined, error) ?? error;
  }
  if (isUnavailable(error)) return dependencyUnavailable('postgres', error);
  return error;
}

/** Runs `operation`, rethrowing its failure translated. */
export async function translating<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translatePostgresError(error);
  }
}
