import { DOMAIN_ERRORS, type ErrorCode, type ErrorStatus } from './error-codes.errors.js';

/** One broken rule of one input field. `field` uses the proto field name (snake_case). */
export interface FieldViolation {
  field: string;
  description: string;
}

/** What a throw site may add to its code's row of the table. */
export interface DomainErrorDetails {
  /** A more specific message than the table's. Shown to the client: never a secret, an SQL statement or a driver message. */
  message?: string;
  violations?: readonly FieldViolation[];
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * An expected failure with a stable code. Its status comes from the table, and so does its message unless the
 * thrower gave a more specific one; either is safe to show to a client.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly violations: readonly FieldViolation[];
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, details: DomainErrorDetails = {}) {
    super(details.message ?? DOMAIN_ERRORS[code].message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DomainError';
    this.code = code;
    this.violations = details.violations ?? [];
    this.retryAfterMs = details.retryAfterMs;
  }

  /** The canonical status of the code (google.rpc.Code name). */
  get status(): ErrorStatus {
    return DOMAIN_ERRORS[this.code].status;
  }
}

export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

export const validationError = (violations: readonly FieldViolation[]): DomainError =>
  new DomainError('VALIDATION_FAILED', {
    message: `invalid ${violations.map((v) => v.field).join(', ')}: ${violations.map((v) => v.description).join('; ')}`,
    violations,
  });

/**
 * How long a client is told to wait before retrying a call that met an outage (RetryInfo): long enough not to
 * hammer a store that is down, short enough to come back soon after it does (its client backs off further).
 */
export const DEPENDENCY_RETRY_AFTER_MS = 1_000;

/**
 * What adapters throw when their store is down or too slow, whatever the technology; the edge answers UNAVAILABLE
 * with RetryInfo. `dependency` names the store for the client ("postgres is unavailable"); the driver's error stays
 * in `cause`.
 */
export const dependencyUnavailable = (dependency: string, cause?: unknown): DomainError =>
  new DomainError('DEPENDENCY_UNAVAILABLE', { message: `${dependency} is unavailable`, retryAfterMs: DEPENDENCY_RETRY_AFTER_MS, cause });

const TAKEN = { username: 'USERNAME_TAKEN', email: 'EMAIL_TAKEN', author: 'AUTHOR_TAKEN' } as const satisfies Record<string, ErrorCode>;

/** What an account store throws when another account holds the (normalized) value of a unique field. */
export const alreadyTaken = (field: keyof typeof TAKEN, cause?: unknown): DomainError => new DomainError(TAKEN[field], { cause });
