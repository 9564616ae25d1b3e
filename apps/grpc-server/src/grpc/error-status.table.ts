import { status } from '@grpc/grpc-js';
import type { ErrorCode } from '@authsvc/core';

/**
 * THE table from domain error codes to gRPC status codes. Typed as a full Record so that a
 * code added to core without a row here fails the typecheck.
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, status>> = {
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
};

/** `google.rpc.ErrorInfo.domain` of every error this API defines. */
export const ERROR_DOMAIN = 'auth.v1';
