import { status } from '@grpc/grpc-js';
import { DomainError, ERROR_CODES, dependencyUnavailable, type ErrorCode } from '@authsvc/core';
import { describe, expect, it } from 'vitest';
import { mapError } from '../../src/grpc/error-mapping.interceptor.js';
import { decodeStatusDetails } from '@authsvc/test-support/grpc';

const EXPECTED: Record<ErrorCode, status> = {
  VALIDATION_FAILED: status.INVALID_ARGUMENT,
  USERNAME_TAKEN: status.ALREADY_EXISTS,
  EMAIL_TAKEN: status.ALREADY_EXISTS,
  AUTHOR_TAKEN: status.ALREADY_EXISTS,
  INVALID_CREDENTIALS: status.UNAUTHENTICATED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  ACCESS_TOKEN_INVALID: status.UNAUTHENTICATED,
  SESSION_REVOKED: status.UNAUTHENTICATED,
  REFRESH_TOKEN_INVALID: status.UNAUTHENTICATED,
  REFRESH_TOKEN_REUSED: status.UNAUTHENTICATED,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  ACCOUNT_NOT_FOUND: status.NOT_FOUND,
  LOGIN_THROTTLED: status.RESOURCE_EXHAUSTED,
  DEPENDENCY_UNAVAILABLE: status.UNAVAILABLE,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  CANCELLED: status.CANCELLED,
  OVERLOADED: status.RESOURCE_EXHAUSTED,
  RATE_LIMITED: status.RESOURCE_EXHAUSTED,
  LAST_ADMIN: status.FAILED_PRECONDITION,
  MFA_TICKET_INVALID: status.UNAUTHENTICATED,
  SECOND_FACTOR_INVALID: status.UNAUTHENTICATED,
  TOTP_ALREADY_ENABLED: status.FAILED_PRECONDITION,
  SECOND_FACTOR_NOT_ENROLLED: status.FAILED_PRECONDITION,
  MFA_NOT_CONFIGURED: status.FAILED_PRECONDITION,
  REAUTHENTICATION_REQUIRED: status.UNAUTHENTICATED,
  EMAIL_NOT_VERIFIED: status.FAILED_PRECONDITION,
  ACCOUNT_TOKEN_INVALID: status.UNAUTHENTICATED,
  SESSION_NOT_FOUND: status.NOT_FOUND,
  ACCOUNT_DISABLED: status.PERMISSION_DENIED,
  MFA_ENROLMENT_REQUIRED: status.PERMISSION_DENIED,
  PASSKEYS_NOT_CONFIGURED: status.FAILED_PRECONDITION,
  PASSKEY_NOT_FOUND: status.NOT_FOUND,
};

describe('domain error -> gRPC status', () => {
  it.each(ERROR_CODES.map((code) => [code, status[EXPECTED[code]]] as const))('%s -> %s with ErrorInfo{reason, domain auth.v1}', (code) => {
    const mapped = mapError(new DomainError(code, { message: 'safe message' }), 'rid-1');
    expect(mapped.code).toBe(EXPECTED[code]);
    expect(mapped.error).toMatchObject({ code: EXPECTED[code], details: 'safe message' });
    const decoded = decodeStatusDetails(mapped.error.metadata!)!;
    expect(decoded.status).toMatchObject({ code: EXPECTED[code], message: 'safe message' });
    expect(decoded.details[0]).toEqual({ kind: 'ErrorInfo', value: { reason: code, domain: 'auth.v1', metadata: {} } });
    expect(mapped.error.metadata!.get('x-request-id')).toEqual(['rid-1']);
  });

  it('a dependency outage says which store, never the driver message, and when to retry', () => {
    const mapped = mapError(dependencyUnavailable('session store', new Error('connect ECONNREFUSED 10.1.2.3:6379 password=hunter2')), 'rid-2');
    expect(mapped.error).toMatchObject({ code: status.UNAVAILABLE, details: 'session store is unavailable' });
    expect(JSON.stringify(decodeStatusDetails(mapped.error.metadata!))).not.toContain('hunter2');
    const retry = decodeStatusDetails(mapped.error.metadata!)!.details.find((d) => d.kind === 'RetryInfo');
    expect(retry).toEqual({ kind: 'RetryInfo', value: { retryDelay: { seconds: 1, nanos: 0 } } });
  });

  it('RetryInfo rounds retryAfterMs up into seconds and nanos', () => {
    const mapped = mapError(new DomainError('LOGIN_THROTTLED', { message: 'too many attempts', retryAfterMs: 61_500.2 }), 'rid-3');
    const retry = decodeStatusDetails(mapped.error.metadata!)!.details.find((d) => d.kind === 'RetryInfo');
    expect(retry).toEqual({ kind: 'RetryInfo', value: { retryDelay: { seconds: 61, nanos: 501_000_000 } } });
  });

  it('anything else -> INTERNAL with the correlation id and nothing of the error', () => {
    const mapped = mapError(new TypeError('cannot read properties of undefined (reading "hash")'), 'rid-4');
    expect(mapped).toMatchObject({ code: status.INTERNAL, reason: null, error: { details: 'internal error (correlation id rid-4)' } });
    expect(JSON.stringify(decodeStatusDetails(mapped.error.metadata!))).not.toContain('hash');
  });
});
