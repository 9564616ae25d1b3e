/** @authsvc/client: a typed client of auth.v1.AuthService with deadlines, safe retries and decoded rich errors. */
export { AuthClient, createAuthClient, RPC_NAMES, type AuthClientOptions, type CallOptions, type CallResult } from './auth-client.factory.js';
export { AuthServiceError, isAuthServiceError, ERROR_DOMAIN, REQUEST_ID_HEADER, type FieldViolation } from './auth-service.errors.js';
export { DEFAULT_DEADLINES_MS, DEFAULT_RETRY_POLICY, READ_ONLY_RPCS, SAFE_TO_RETRY_RPCS, type RetryPolicy } from './call-defaults.config.js';
export { backoffMs, retryDelay, retriesMethod, type FailedAttempt } from './retry.rules.js';
export { decodeStatusDetails, STATUS_DETAILS_TRAILER, type StatusDetail } from './status-details.codec.js';
export type { RequestOf, ResponseOf, RpcName } from './rpc-methods.types.js';
export { Gender, Role } from '@authsvc/proto/auth/v1/auth';
