import type { ErrorCode } from './error-codes.js';

/** One broken rule of one input field. `field` uses the proto field name (snake_case). */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * An expected failure with a stable code. Its message is safe to show to a client:
 * never put a secret, an SQL statement or a driver message in it.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly violations: readonly FieldViolation[];
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { violations?: readonly FieldViolation[]; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.violations = options.violations ?? [];
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

export const validationError = (violations: readonly FieldViolation[]): DomainError =>
  new DomainError(
    'VALIDATION_FAILED',
    `invalid ${violations.map((v) => v.field).join(', ')}: ${violations.map((v) => v.description).join('; ')}`,
    { violations },
  );

/** What adapters throw when their store is down or too slow; the edge maps it to UNAVAILABLE. */
export const dependencyUnavailable = (dependency: string, cause?: unknown): DomainError =>
  new DomainError('DEPENDENCY_UNAVAILABLE', `${dependency} is unavailable`, { cause });
